// Two builds of the API side by side in one run, for "what does this change cost the hit
// path, and a create": `npm run bench:compare -- <dir-a> <dir-b>`, each a checkout with
// `dist/` built (a `git worktree` of another commit, say). Both run in production form on the
// bench database; wrk loads cached page 1, then POST /todos, on each in turn, in A-B-B-A
// order so a drift of the shared machine falls on both, and the median of BENCH_REPEATS (4)
// runs per cell is printed with B ÷ A. The creates come last: they grow the collection.
//   BENCH_DURATION  seconds per run (10)
import { execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { authHeaders, BENCH_CURSOR_SECRET, benchToken, mongoUri, peakRssMb } from './lib.mjs';
import { runWrk } from './wrk.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 4);
const [dirA, dirB] = process.argv.slice(2).map((dir) => resolve(dir));
if (!dirA || !dirB) {
  console.error('usage: npm run bench:compare -- <dir-a> <dir-b>  (each with dist/ built)');
  process.exit(64);
}

const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGTERM')));
process.on('SIGINT', () => process.exit(130));

function startApi(name, dir, port) {
  const child = spawn(process.execPath, [`${dir}/dist/main.js`], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      CURSOR_SECRET: BENCH_CURSOR_SECRET,
      CLUSTER_WORKERS: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: mongoUri('todo_bench'),
      CACHE_KEY_PREFIX: `bench-compare-${port}`,
      RATE_LIMIT_MAX: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return { name, dir, base: `http://127.0.0.1:${port}`, pid: child.pid };
}

async function waitFor(url) {
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  throw new Error(`${url} did not answer`);
}

/** A full page 1 for the target's client: the bench account's own todos, seeded once. */
async function ensurePageOne(target) {
  const page = await (await fetch(`${target.base}/todos`, { headers: target.headers })).json();
  if (page.items.length === 10 || !target.headers.authorization) return;
  console.log(`seeding 10000 todos for bench@example.com with ${target.name}'s seed`);
  execFileSync(
    process.execPath,
    [`${target.dir}/dist/seed.js`, '10000', '--owner', 'bench@example.com'],
    { env: { ...process.env, MONGODB_URI: mongoUri('todo_bench') }, stdio: 'inherit' },
  );
}

const targets = [startApi('A', dirA, 3941), startApi('B', dirB, 3942)];
for (const target of targets) {
  await waitFor(`${target.base}/health/ready`);
  // A build with accounts is loaded as an account, with its token; one before them without.
  target.headers = authHeaders(await benchToken(target.base));
  // The creates go to an account of their own: the page 1 account keeps its 10,000 todos, so
  // the expiry of its cached page costs the same in every run.
  target.writeHeaders = authHeaders(await benchToken(target.base, 'bench-writes@example.com'));
  await ensurePageOne(target);
  await runWrk(`${target.base}/todos`, { connections: 50, duration: 2, headers: target.headers }); // warm-up
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const SCENARIOS = [
  { name: 'page 1 cached @100', connections: 100 },
  { name: 'page 1 cached @1000', connections: 1000 },
  {
    name: 'POST /todos @100',
    connections: 100,
    script: 'bench/scripts/post-json.lua',
    writes: true,
  },
];
const rows = [];
for (const { name, connections, script, writes } of SCENARIOS) {
  const runs = { A: [], B: [] };
  for (let i = 0; i < REPEATS; i++) {
    for (const target of i % 2 === 0 ? targets : [...targets].reverse()) {
      const run = await runWrk(`${target.base}/todos`, {
        connections,
        duration: DURATION,
        headers: writes ? target.writeHeaders : target.headers,
        script,
      });
      runs[target.name].push(run.goodRps);
      console.log(`${name} / ${target.name}: ${Math.round(run.goodRps)} req/s`);
    }
  }
  const [a, b] = [median(runs.A), median(runs.B)];
  const spread = (values) => values.map(Math.round).join(' · ');
  rows.push([
    name,
    spread(runs.A),
    spread(runs.B),
    Math.round(a),
    Math.round(b),
    (b / a).toFixed(3),
  ]);
}
const rss = targets.map((t) => `${t.name} ${peakRssMb(t.pid).toFixed(0)} MB`).join(', ');

console.log(`\nA = ${dirA}\nB = ${dirB}`);
console.log(
  `${DURATION} s per run, median of ${REPEATS}, A-B-B-A order, one API process each, ${availableParallelism()} cores\n`,
);
console.log(
  '| scenario | A runs | B runs | A req/s | B req/s | B ÷ A |\n| --- | --- | --- | --- | --- | --- |',
);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(`\nAPI peak RSS (VmHWM): ${rss}`);
// The children's handles would keep this process alive: exit, and the 'exit' handler stops them.
process.exit(0);
