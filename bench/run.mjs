// The benchmark: starts the service in its production form beside the reference points,
// loads each with wrk under the same settings, and prints one table (also written as JSON
// and Markdown under bench/results/). Figures are only comparable within one run.
//   BENCH_DURATION  seconds per run (10)     BENCH_REPEATS  runs per cell, median kept (3)
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { runWrk } from './wrk.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const TODOS = 10_000;
const mongoUri = (database) => {
  const url = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/todo');
  url.pathname = `/${database}`;
  return url.toString();
};

const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGTERM')));
process.on('SIGINT', () => process.exit(130));

function start(name, command, args, env) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  child.on('exit', (code) => code && console.error(`${name} exited with ${code}`));
  return child;
}

async function waitFor(url) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer`);
}

function nestTarget(name, port, env) {
  start(name, process.execPath, ['dist/main.js'], {
    NODE_ENV: 'production',
    MONGODB_AUTO_INDEX: 'true',
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGODB_URI: mongoUri('todo_bench'),
    CACHE_KEY_PREFIX: 'bench',
    // One load generator on one address would hit the per-IP limit at once.
    RATE_LIMIT_MAX: '0',
    ...env,
  });
  return { name, base: `http://127.0.0.1:${port}` };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(target, scenario) {
  const runs = [];
  for (let i = 0; i < REPEATS; i++) {
    runs.push(
      await runWrk(target.base + scenario.path, {
        connections: scenario.connections,
        duration: DURATION,
      }),
    );
  }
  const middle = runs.find((run) => run.goodRps === median(runs.map((r) => r.goodRps)));
  return { target: target.name, scenario: scenario.name, ...middle, raw: undefined };
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function table(rows) {
  const header = [
    'scenario',
    'target',
    'req/s',
    'in time/s',
    'p50 ms',
    'p99 ms',
    'requests',
    'timeouts',
    'errors',
  ];
  const lines = rows.map((r) => [
    r.scenario,
    r.target,
    fmt(r.rps),
    fmt(r.goodRps),
    // wrk reports 0 latency when nothing came back in time: show that as no figure.
    r.goodRps > 0 ? fmt(r.p50, 2) : '–',
    r.goodRps > 0 ? fmt(r.p99, 2) : '–',
    String(r.requests),
    String(r.timeouts),
    String(r.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [row(header), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row)].join('\n');
}

console.log(`seeding ${TODOS} todos into todo_bench`);
execFileSync(process.execPath, ['dist/seed.js', String(TODOS), '--fresh'], {
  env: { ...process.env, MONGODB_URI: mongoUri('todo_bench') },
  stdio: ['ignore', 'ignore', 'inherit'],
});

const targets = [
  nestTarget('nest, cache on', 3901, { CACHE_ENABLED: 'true', LOG_LEVEL: 'info' }),
  nestTarget('nest, cache on, logs off', 3903, { CACHE_ENABLED: 'true', LOG_LEVEL: 'silent' }),
  nestTarget('nest, cache off', 3902, { CACHE_ENABLED: 'false' }),
];
await Promise.all(targets.map((t) => waitFor(`${t.base}/todos`)));
for (const target of targets)
  await runWrk(`${target.base}/todos`, { connections: 50, duration: 2 }); // warm-up

const scenarios = [
  { name: 'page 1 @100', path: '/todos', connections: 100 },
  { name: 'page 1 @1000', path: '/todos', connections: 1000 },
];
const rows = [];
for (const target of targets) {
  for (const scenario of scenarios) {
    const row = await measure(target, scenario);
    rows.push(row);
    console.log(
      `${row.scenario} / ${row.target}: ${fmt(row.rps)} req/s, p99 ${fmt(row.p99, 2)} ms`,
    );
    await sleep(3_000); // let queued work drain before the next run
  }
}

const text = table(rows);
console.log(
  `\n${DURATION} s per run, median of ${REPEATS}, wrk -t2 --timeout 1s, ${TODOS} todos\n\n${text}`,
);
mkdirSync('bench/results', { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(
  `bench/results/bench-${stamp}.json`,
  JSON.stringify({ duration: DURATION, repeats: REPEATS, rows }, null, 2),
);
writeFileSync(`bench/results/bench-${stamp}.md`, `${text}\n`);
process.exit(0);
