// The benchmark: starts the service in its production form (built, NODE_ENV=production, one
// API process per core through CLUSTER_WORKERS, as the README recommends for one machine),
// the same behind the project's nginx, the reference Flask stack with its own 10,000 todos,
// and a raw node:http server answering the same page-1 bytes from memory (this machine's
// ceiling); loads each with wrk under the same settings; prints one table with each figure's
// ratio to the peer and to the ceiling (also written as JSON and Markdown under
// bench/results/). Figures are only comparable within one run.
//   BENCH_DURATION  seconds per run (10)   BENCH_REPEATS  runs per cell, median kept (3)
//   PEER_FLASK_DIR  the reference stack (../shared/peer-flask)
import { execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  authHeaders,
  BENCH_CURSOR_SECRET,
  benchToken,
  DURATION,
  markdownTable,
  median,
  REPEATS,
  mongoUri,
  peakRssMb,
  waitFor,
} from './lib.mjs';
import { ownersBench } from './owners.mjs';
import { runWrk } from './wrk.mjs';

const TODOS = 10_000;
const CORES = availableParallelism();
const PEER_DIR = resolve(process.env.PEER_FLASK_DIR ?? '../shared/peer-flask');
const PEER_VENV = resolve('.data/peer-venv');
// The server only: the peer picks its database from MONGODB_DB.
const PEER_MONGO = mongoUri('');
const PAGE_500 = 4_990; // offset of page 500 with 10 per page

const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGTERM')));
process.on('SIGINT', () => process.exit(130));

function start(name, command, args, env, options = {}) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    ...options,
  });
  children.push(child);
  child.on('exit', (code) => code && console.error(`${name} exited with ${code}`));
  return child;
}

/** The service as production runs it on one machine: built, one API process per core. */
function nestTarget(name, port, env) {
  const child = start(name, process.execPath, ['dist/main.js'], {
    NODE_ENV: 'production',
    CURSOR_SECRET: BENCH_CURSOR_SECRET,
    MONGODB_AUTO_INDEX: 'true',
    CLUSTER_WORKERS: String(CORES),
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGODB_URI: mongoUri('todo_bench'),
    CACHE_KEY_PREFIX: `bench-${port}`,
    // One load generator on one address would hit the per-IP limit at once.
    RATE_LIMIT_MAX: '0',
    ...env,
  });
  return { name, kind: 'nest', base: `http://127.0.0.1:${port}`, pid: child.pid };
}

function peerTarget(name, port, env) {
  // gunicorn logs every worker's exit noisily at the end; its output is not needed here.
  start(
    name,
    'bash',
    [join(PEER_DIR, 'run.sh'), String(port)],
    {
      PEER_VENV,
      MONGODB_URI: PEER_MONGO,
      MONGODB_DB: 'peer_todo',
      ...env,
    },
    { stdio: 'ignore' },
  );
  return { name, kind: 'peer', base: `http://127.0.0.1:${port}` };
}

/** Peak RSS of each API process forked by the cluster primary `primary`, in MB. */
function apiPeakRssMb(primary) {
  return execFileSync('ps', ['-o', 'pid=', '--ppid', String(primary)], { encoding: 'utf8' })
    .split('\n')
    .map(Number)
    .filter((pid) => pid > 0)
    .map(peakRssMb);
}

/** Waits until the service's readiness (a database ping among its checks) answers fast. */
async function quiesce() {
  await sleep(1_000);
  for (let i = 0; i < 60; i++) {
    const started = performance.now();
    const ok = await fetch(`${nest.base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok && performance.now() - started < 50) return;
    await sleep(500);
  }
}

async function measure(target, scenario) {
  const runs = [];
  for (let i = 0; i < REPEATS; i++) {
    runs.push(
      await runWrk(target.base + scenario.path[target.kind], {
        connections: scenario.connections,
        duration: scenario.duration ?? DURATION,
        threads: scenario.threads ?? 2,
        timeout: scenario.timeout ?? '1s',
        script: scenario.script?.[target.kind],
        // The service's clients send a token; the peer's and the ceiling's send none.
        headers: target.kind === 'nest' || target.kind === 'nginx' ? auth : {},
      }),
    );
  }
  const middle = runs.find((run) => run.goodRps === median(runs.map((r) => r.goodRps)));
  return {
    scenario: scenario.name,
    target: target.name,
    kind: target.kind,
    ...middle,
    raw: undefined,
  };
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const ratio = (a, b) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : '');

function table(rows) {
  const header = [
    'scenario',
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'requests',
    'timeouts',
    'errors',
    '÷ peer',
    '÷ ceiling',
  ];
  const lines = rows.map((r) => [
    r.scenario,
    r.target,
    fmt(r.goodRps),
    // wrk reports 0 latency when nothing came back in time: show that as no figure.
    r.goodRps > 0 ? fmt(r.p50, 2) : '–',
    r.goodRps > 0 ? fmt(r.p99, 2) : '–',
    String(r.requests),
    String(r.timeouts),
    String(r.errors),
    r.kind === 'peer' ? '' : ratio(r.goodRps, r.peer?.goodRps),
    r.kind === 'ceiling' ? '' : ratio(r.goodRps, r.ceiling?.goodRps),
  ]);
  return markdownTable(header, lines);
}

// --- targets ------------------------------------------------------------------------------
const nest = nestTarget('nest', 3901, {});
const nestOff = nestTarget('nest, cache off', 3902, { CACHE_ENABLED: 'false' });
const peer = peerTarget('peer', 3911, { PEER_CACHE: '1' });
const peerOff = peerTarget('peer, cache off', 3912, { PEER_CACHE: '0' });
console.log('starting the reference stack (installs into .data/peer-venv on first use)');
await Promise.all([nest, nestOff].map((t) => waitFor(`${t.base}/health/ready`)));

// --- data ---------------------------------------------------------------------------------
// Every scenario runs as a client does: as an account, with its token.
const token = await benchToken(nest.base);
const auth = authHeaders(token);
console.log(`seeding ${TODOS} todos into todo_bench for bench@example.com`);
execFileSync(
  process.execPath,
  ['dist/seed.js', String(TODOS), '--fresh', '--owner', 'bench@example.com'],
  {
    env: { ...process.env, MONGODB_URI: mongoUri('todo_bench') },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
await waitFor(`${peer.base}/todo`);
await waitFor(`${peerOff.base}/todo`);
console.log(`seeding ${TODOS} todos into peer_todo`);
execFileSync(join(PEER_VENV, 'bin/python'), ['seed.py', String(TODOS)], {
  cwd: PEER_DIR,
  env: {
    ...process.env,
    MONGODB_URI: PEER_MONGO,
    MONGODB_DB: 'peer_todo',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});

// The ceiling answers exactly the bytes the service answers for page 1.
const dir = mkdtempSync(join(tmpdir(), 'todo-bench-'));
writeFileSync(
  join(dir, 'page1.json'),
  Buffer.from(await (await fetch(`${nest.base}/todos`, { headers: auth })).arrayBuffer()),
);
start('ceiling', process.execPath, ['bench/ceiling.mjs', '3920', join(dir, 'page1.json')], {});
const ceiling = { name: 'node:http ceiling', kind: 'ceiling', base: 'http://127.0.0.1:3920' };
start('nginx', 'bash', ['scripts/nginx.sh', join(dir, 'nginx')], {
  NGINX_PORT: '127.0.0.1:3930',
  API_UPSTREAM_SERVERS: 'server 127.0.0.1:3901;',
  NGINX_RATE_LIMIT: '1000000r/s',
  NGINX_RATE_BURST: '1000000',
  NGINX_ACCESS_LOG: '/dev/null',
});
const viaNginx = { name: 'nginx → nest', kind: 'nginx', base: 'http://127.0.0.1:3930' };
await waitFor(`${ceiling.base}/`);
await waitFor(`${viaNginx.base}/health/ready`);

// The cursor of page 500, as a client walking the list would hold it.
const page499 = await (
  await fetch(`${nestOff.base}/todos?start=${PAGE_500 - 10}`, { headers: auth })
).json();

const page1 = { nest: '/todos', nginx: '/todos', peer: '/todo', ceiling: '/' };
const post = {
  path: { nest: '/todos', peer: '/todo' },
  script: { nest: 'bench/scripts/post-json.lua', peer: 'bench/scripts/post-form.lua' },
};
// Uncached reads are bound by the database: fewer connections and a longer timeout, so the
// figure is throughput rather than a count of timeouts.
const dbBound = { connections: 10, timeout: '5s' };
const scenarios = [
  {
    name: 'page 1 cached @100',
    path: page1,
    connections: 100,
    targets: [nest, viaNginx, peer, ceiling],
  },
  {
    name: 'page 1 cached @1000',
    path: page1,
    connections: 1000,
    targets: [nest, viaNginx, peer, ceiling],
    rss: true,
  },
  {
    name: 'GET /todo, wrk -t12 -c100 -d5s',
    path: { nest: '/todo', peer: '/todo' },
    connections: 100,
    threads: 12,
    duration: 5,
    timeout: '2s',
    targets: [nest, peer],
  },
  {
    name: 'page 1 uncached @10',
    path: { nest: '/todos', peer: '/todo' },
    ...dbBound,
    targets: [nestOff, peerOff],
  },
  {
    name: 'page 500 by offset @10',
    path: { nest: `/todos?start=${PAGE_500}`, peer: `/todo?start=${PAGE_500}` },
    ...dbBound,
    targets: [nestOff, peerOff],
  },
  {
    name: 'page 500 by cursor @10',
    path: { nest: `/todos?cursor=${encodeURIComponent(page499.next_cursor)}` },
    ...dbBound,
    targets: [nestOff],
  },
  // Writes last: they grow the collections the reads above measure.
  { name: 'POST /todos @100', ...post, connections: 100, targets: [nest, peer] },
];

for (const target of [nest, nestOff, viaNginx, peer, peerOff, ceiling]) {
  const path = { nest: '/todos', nginx: '/todos', peer: '/todo', ceiling: '/' }[target.kind];
  const headers = target.kind === 'nest' || target.kind === 'nginx' ? auth : {};
  await runWrk(target.base + path, { connections: 50, duration: 2, headers }); // warm-up
}

const rows = [];
const peaks = [];
for (const scenario of scenarios) {
  const cells = [];
  for (const target of scenario.targets) {
    const row = await measure(target, scenario);
    cells.push(row);
    console.log(
      `${row.scenario} / ${row.target}: ${fmt(row.goodRps)} req/s in time, p99 ${fmt(row.p99, 2)} ms`,
    );
    if (scenario.rss && target === nest) peaks.push(...apiPeakRssMb(nest.pid));
    await quiesce(); // queued database work from this run would slow the next one
  }
  for (const row of cells) {
    row.peer = cells.find((cell) => cell.kind === 'peer');
    row.ceiling = cells.find((cell) => cell.kind === 'ceiling');
  }
  rows.push(...cells);
}

const text = table(rows);
const rss = `API peak RSS (VmHWM) per process after the 1000-connection run: ${peaks.map((mb) => `${mb.toFixed(0)} MB`).join(', ')}`;
const settings = `${DURATION} s per run (5 s for the original's command line), median of ${REPEATS}, wrk -t2 --timeout 1s unless the scenario says otherwise, ${TODOS} todos, ${CORES} cores, nest with CLUSTER_WORKERS=${CORES}`;
console.log(`\n${settings}\n\n${text}\n\n${rss}`);
mkdirSync('bench/results', { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const plain = rows.map(({ peer: _peer, ceiling: _ceiling, ...row }) => row);
writeFileSync(
  `bench/results/bench-${stamp}.json`,
  JSON.stringify({ settings, rows: plain, apiPeakRssMb: peaks }, null, 2),
);
writeFileSync(`bench/results/bench-${stamp}.md`, `${settings}\n\n${text}\n\n${rss}\n`);
// Then the 100-owner section, on both FerretDB backends; BENCH_OWNERS=0 skips it.
if (process.env.BENCH_OWNERS !== '0') await ownersBench();
process.exit(0);
