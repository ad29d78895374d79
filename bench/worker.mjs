// `npm run bench:worker`: the worker in production form, measured on its own. Prints the
// time and peak RSS of exporting 100,000 todos (JSON and CSV) and the rate of trivial jobs
// at the configured concurrency, and writes the table under bench/results/. The exports are
// requested as a client does (an account's token, POST /todos/exports on an API of the
// bench's own): an export is a record the API writes before its job.
//   BENCH_TODOS (100000)   BENCH_JOBS (5000)   WORKER_CONCURRENCY (the service default)
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { authHeaders, BENCH_CURSOR_SECRET, benchToken, mongoUri, peakRssMb } from './lib.mjs';

const TODOS = Number(process.env.BENCH_TODOS ?? 100_000);
const JOBS = Number(process.env.BENCH_JOBS ?? 5_000);
const DATABASE = 'todo_bench_worker';
const PREFIX = `bench-worker-${process.pid}`;
const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const connection = { host: redis.hostname, port: Number(redis.port || 6379) };
const env = {
  ...process.env,
  NODE_ENV: 'production',
  CURSOR_SECRET: BENCH_CURSOR_SECRET,
  MONGODB_URI: mongoUri(DATABASE),
  QUEUE_PREFIX: PREFIX,
};

const API_PORT = 3908;
const base = `http://127.0.0.1:${API_PORT}`;
const api = spawn(process.execPath, ['dist/main.js'], {
  env: { ...env, PORT: String(API_PORT), HOST: '127.0.0.1', RATE_LIMIT_MAX: '0' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const worker = spawn(process.execPath, ['dist/worker.js'], {
  env: { ...env, WORKER_HEALTH_PORT: '3909' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
process.on('exit', () => [api, worker].forEach((child) => child.kill('SIGTERM')));
for (const url of [`${base}/health/ready`, 'http://127.0.0.1:3909/health/ready']) {
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await sleep(100);
  }
}
const EMAIL = 'bench-worker@example.com';
const headers = {
  ...authHeaders(await benchToken(base, EMAIL)),
  'content-type': 'application/json',
};

console.log(`seeding ${TODOS} todos into ${DATABASE}`);
execFileSync(process.execPath, ['dist/seed.js', String(TODOS), '--fresh', '--owner', EMAIL], {
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});

const rows = [
  { measure: 'worker started, idle', value: '–', peak: `${peakRssMb(worker.pid).toFixed(0)} MB` },
];
for (const format of ['json', 'csv']) {
  const started = performance.now();
  const body = JSON.stringify({ format });
  const accepted = await fetch(`${base}/todos/exports`, { method: 'POST', headers, body });
  if (accepted.status !== 202) throw new Error(`export answered ${accepted.status}`);
  const { status_url: statusUrl } = await accepted.json();
  let job;
  while (
    (job = await (await fetch(`${base}${statusUrl}`, { headers })).json()).state !== 'completed'
  ) {
    if (job.state === 'failed') throw new Error(`export failed: ${job.failed_reason}`);
    await sleep(50);
  }
  const seconds = (performance.now() - started) / 1000;
  const result = job.result;
  rows.push({
    measure: `export ${TODOS} todos as ${format}`,
    value: `${seconds.toFixed(1)} s (${Math.round(result.count / seconds)} todos/s, ${(result.bytes / 1e6).toFixed(1)} MB)`,
    peak: `${peakRssMb(worker.pid).toFixed(0)} MB`,
  });
  console.log(rows.at(-1));
}

const maintenance = new Queue('maintenance', { connection, prefix: PREFIX });
const started = performance.now();
// With RETENTION_DAYS unset the maintenance processor returns at once: a trivial job.
await maintenance.addBulk(
  Array.from({ length: JOBS }, () => ({
    name: 'purge-finished',
    data: {},
    opts: { removeOnComplete: true },
  })),
);
for (;;) {
  const counts = await maintenance.getJobCounts('waiting', 'active', 'failed');
  if (counts.failed > 0) throw new Error('trivial jobs failed');
  if (counts.waiting + counts.active === 0) break;
  await sleep(20);
}
const seconds = (performance.now() - started) / 1000;
rows.push({
  measure: `${JOBS} trivial jobs, concurrency ${process.env.WORKER_CONCURRENCY ?? 'default (4)'}`,
  value: `${(JOBS / seconds).toFixed(0)} jobs/s (${seconds.toFixed(1)} s)`,
  peak: `${peakRssMb(worker.pid).toFixed(0)} MB`,
});

const table = [
  '| measure | result | worker peak RSS |',
  '| --- | --- | --- |',
  ...rows.map((r) => `| ${r.measure} | ${r.value} | ${r.peak} |`),
].join('\n');
console.log(`\n${table}`);
mkdirSync('bench/results', { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(`bench/results/worker-${stamp}.md`, `${table}\n`);
const exportsQueue = new Queue('exports', { connection, prefix: PREFIX });
await Promise.all([
  exportsQueue.obliterate({ force: true }),
  maintenance.obliterate({ force: true }),
]);
await Promise.all([exportsQueue.close(), maintenance.close()]);
process.exit(0);
