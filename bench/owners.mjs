// The owners benchmark (`npm run bench:owners`, and the last section of `npm run bench`): 100
// accounts with 1,000 todos each, on FerretDB over PostgreSQL and on FerretDB over SQLite in
// the same run. Each backend gets a FerretDB of its own, the service in its production form
// against it (as bench/run.mjs starts it) and a second one with the cache off. One owner's
// cached page says little of a cache that holds a view per owner, nor of what a trickle of
// writes costs the reads, each write dropping its owner's views: these scenarios do. One
// backend at a time: its processes start, it is seeded, every owner's page 1 is cached, its
// scenarios run, and its processes stop before the next backend's start. Prints one table
// (also written as JSON and Markdown under bench/results/owners-*); figures only, comparable
// within one run.
//   BENCH_DURATION  seconds per run (10)   BENCH_REPEATS  runs per cell, median kept (3)
//   BENCH_OWNERS_BACKENDS  which backends, comma-separated (postgresql,sqlite)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import {
  authHeaders,
  BENCH_CURSOR_SECRET,
  benchToken,
  DURATION,
  markdownTable,
  median,
  REPEATS,
  waitFor,
} from './lib.mjs';
import {
  answersTcp,
  buildFerretdb,
  FERRETDB,
  freshPgDatabase,
  start,
  stop,
  stopAll,
  waitForTcp,
} from './processes.mjs';
import { runWrk } from './wrk.mjs';

const OWNERS = 100;
const TODOS_PER_OWNER = 1_000;
const THREADS = 2;
const CORES = availableParallelism();
// The MongoDB database on each FerretDB, and the PostgreSQL database under one of them.
const DATABASE = 'todo_bench_owners';
const DATA_DIR = process.env.DATA_DIR ?? '.data';
// FerretDB's logs, kept after the run: it logs every command it refuses, too many to print.
const LOGS = join(DATA_DIR, 'bench-owners');
const SCRIPT = 'bench/scripts/owners.lua';
// The views' lifetime in these APIs: 10 minutes, not the service's default minute. Every
// owner's page is cached within seconds of the others, so with a minute they would all expire
// in the same second of a later run, and that run would measure 100 misses at once rather
// than its scenario (measured: the 95/5 median fell from 0.43x to 0.18x, 11 timeouts).
const CACHE_TTL_SECONDS = process.env.CACHE_TTL_SECONDS ?? '600';
const CACHE_TTL_MS = Number(CACHE_TTL_SECONDS) * 1000;
// A backlog on SQLite can take minutes to drain: past this wait, the next run starts on a busy
// store (and its row says so) rather than the benchmark taking an hour.
const STORE_IDLE_WAIT_MS = 120_000;
// Ports apart from bench/run.mjs's (39xx below 3940), which may still be up when it calls this.
const ALL_BACKENDS = [
  { name: 'postgresql', mongoPort: 3941, apiPort: 3951 },
  { name: 'sqlite', mongoPort: 3942, apiPort: 3953 },
];
const CHOSEN = (process.env.BENCH_OWNERS_BACKENDS ?? 'postgresql,sqlite').split(',');
const BACKENDS = ALL_BACKENDS.filter((backend) => CHOSEN.includes(backend.name));
if (BACKENDS.length === 0)
  throw new Error(`BENCH_OWNERS_BACKENDS names none of ${ALL_BACKENDS.map((b) => b.name)}`);

const SCENARIOS = [
  { name: 'reads only @100', connections: 100, timeout: '2s', writes: 0 },
  {
    name: '95/5 mixed @100',
    connections: 100,
    timeout: '2s',
    writes: 0.05,
    versus: 'reads only @100',
  },
  // Bound by the database: fewer connections and a longer timeout, so the figure is
  // throughput rather than a count of timeouts (as in bench/run.mjs).
  { name: 'page 1 uncached, one owner @10', connections: 10, timeout: '5s', uncached: true },
  // Writes last: they grow the collections the reads above measure.
  { name: 'POST /todos @100', connections: 100, timeout: '2s', writes: 1 },
];

let scratch;

/** Whatever this section started goes with it, however it ends. */
function cleanUp() {
  stopAll();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}

const storeUri = (port) => `mongodb://127.0.0.1:${port}/${DATABASE}`;

/** A FerretDB of the backend's own, on its own port. */
function startFerretdb(backend) {
  let storage;
  if (backend.name === 'postgresql') {
    // Whatever EMBEDDED_DB says: this section measures both backends.
    storage = ['-handler', 'postgresql', '-postgresql-url', freshPgDatabase(DATABASE)];
  } else {
    storage = ['-handler', 'sqlite', '-data', join(scratch, 'sqlite')];
  }
  const listen = `127.0.0.1:${backend.mongoPort}`;
  return start(`FerretDB (${backend.name})`, FERRETDB, ['-listen', listen, ...storage], {
    log: join(LOGS, `ferretdb-${backend.name}.log`),
  });
}

/** The service as bench/run.mjs's nestTarget starts it: built, one API process per core. */
function startApi(name, port, mongoPort, prefix, env = {}) {
  const child = start(name, process.execPath, ['dist/main.js'], {
    env: {
      NODE_ENV: 'production',
      CURSOR_SECRET: BENCH_CURSOR_SECRET,
      MONGODB_AUTO_INDEX: 'true',
      CLUSTER_WORKERS: String(CORES),
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: storeUri(mongoPort),
      // Keys of its own in the shared Redis (views, limits, queues): no other API's cached
      // views or invalidations reach it, nor its theirs.
      CACHE_KEY_PREFIX: prefix,
      QUEUE_PREFIX: prefix,
      // One load generator on one address would hit the per-IP limits at once.
      RATE_LIMIT_MAX: '0',
      REGISTER_MAX_PER_HOUR: '100000',
      CACHE_TTL_SECONDS,
      ...env,
    },
  });
  return { name, base: `http://127.0.0.1:${port}`, child };
}

/** CPU seconds a process has used so far, user and system (/proc counts in 1/100 s). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Waits until the backend's FerretDB uses under a tenth of a core; false when it still did
 * after STORE_IDLE_WAIT_MS. A run leaves work behind: the API holds requests queued for the
 * store's connections after their clients have gone, and FerretDB finishes a query whose
 * client gave up on it (the driver's socket timeout). A page can cost it seconds, and that
 * work would otherwise be counted against the next run.
 */
async function storeIdle(stack) {
  const deadline = Date.now() + STORE_IDLE_WAIT_MS;
  let before = cpuSeconds(stack.ferretdb.pid);
  while (Date.now() < deadline) {
    await sleep(1_000);
    const now = cpuSeconds(stack.ferretdb.pid);
    if (now - before < 0.1) return true;
    before = now;
  }
  console.error(`FerretDB (${stack.name}) still busy after ${STORE_IDLE_WAIT_MS / 1000} s`);
  return false;
}

/** Waits until the API's readiness (a database ping among its checks) answers fast. */
async function quiesce(api) {
  await sleep(1_000);
  for (let i = 0; i < 60; i++) {
    const started = performance.now();
    const ok = await fetch(`${api.base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok && performance.now() - started < 50) return;
    await sleep(500);
  }
}

// --- the cache's counters -----------------------------------------------------------------
/**
 * `/metrics` on a connection of its own: the cluster's primary hands each new connection to
 * the next API process in turn, and each answers with its own counters only.
 */
function scrape(api) {
  return new Promise((resolve, reject) => {
    get(`${api.base}/metrics`, { agent: false, headers: { connection: 'close' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve(text));
    }).on('error', reject);
  });
}

/** The response cache's hits and misses as one process counts them, from its `/metrics`. */
async function scrapeCounts(api) {
  const text = await scrape(api);
  return {
    hits: Number(/^cache_hits_total (\d+)$/m.exec(text)?.[1] ?? Number.NaN),
    misses: Number(/^cache_misses_total (\d+)$/m.exec(text)?.[1] ?? Number.NaN),
  };
}

/**
 * The response cache's hits and misses summed over the API's processes: one scrape per
 * process, twice over. The second round must repeat the first process by process (nothing
 * else asks in between); else requests were still being answered, or the turns were not the
 * ones assumed: a few more tries, then no sum rather than a wrong one.
 */
async function cacheCounts(api) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const rounds = [];
    for (let i = 0; i < 2 * CORES; i++) rounds.push(await scrapeCounts(api));
    const first = rounds.slice(0, CORES);
    const again = rounds.slice(CORES);
    if (first.every((r, i) => r.hits === again[i].hits && r.misses === again[i].misses)) {
      return first.reduce(
        (sum, r) => ({ hits: sum.hits + r.hits, misses: sum.misses + r.misses }),
        { hits: 0, misses: 0 },
      );
    }
    await sleep(1_000);
  }
  console.error(`${api.name}: the cache's counters kept moving between two rounds of scrapes`);
  return undefined;
}

function hitRatio(before, after) {
  if (!before || !after) return {};
  const hits = after.hits - before.hits;
  const misses = after.misses - before.misses;
  return { hits, misses, hitRatio: hits + misses > 0 ? hits / (hits + misses) : undefined };
}

// --- data ---------------------------------------------------------------------------------
/** The owners' accounts, each registered and logged in through the API as a client would. */
async function accounts(api) {
  const owners = Array.from({ length: OWNERS }, (_, i) => ({
    email: `owner-${String(i + 1).padStart(3, '0')}@example.com`,
  }));
  const queue = [...owners];
  // A few at a time: each is two password hashes, which take the API's CPU.
  const client = async () => {
    while (queue.length > 0) {
      const owner = queue.shift();
      owner.token = await benchToken(api.base, owner.email);
    }
  };
  await Promise.all([client(), client(), client(), client()]);
  return owners;
}

/**
 * Each owner's todos, written straight to the database in the form the service writes them,
 * in batches of 1,000 as dist/seed.js does: it seeds one owner a call and boots the
 * application each time, which would be most of the time of 100 calls.
 */
async function seedTodos(uri, owners) {
  const client = new MongoClient(uri);
  try {
    const db = client.db();
    const users = await db
      .collection('users')
      .find({ email_key: { $in: owners.map((o) => o.email) } }, { projection: { email_key: 1 } })
      .toArray();
    const ids = new Map(users.map((user) => [user.email_key, user._id]));
    const todos = db.collection('todos');
    const started = performance.now();
    for (const owner of owners) {
      // One millisecond apart, as dist/seed.js writes them: page 1 is the last ten.
      const newest = Date.now();
      await todos.insertMany(
        Array.from({ length: TODOS_PER_OWNER }, (_, n) => ({
          owner_id: ids.get(owner.email),
          content: `todo ${n + 1}`,
          created_at: new Date(newest - (TODOS_PER_OWNER - n)),
          is_finished: false,
          finished_at: null,
          remind_at: null,
          reminded_at: null,
        })),
        { ordered: false },
      );
    }
    return (performance.now() - started) / 1000;
  } finally {
    await client.close();
  }
}

/**
 * Page 1 of every owner into the cache, one request per core at a time, for at most the
 * cache's TTL: an uncached page costs these stores up to seconds at 100,000 todos (FerretDB
 * reads the whole collection for it), and filling for longer would only see the first views
 * expire. How many it filled, and how fast, is a figure of its own.
 */
async function warm(stack) {
  const started = performance.now();
  const queue = [...stack.owners];
  let filled = 0;
  const client = async () => {
    while (queue.length > 0 && performance.now() - started < CACHE_TTL_MS) {
      const owner = queue.shift();
      const response = await fetch(`${stack.on.base}/todos`, { headers: authHeaders(owner.token) });
      await response.arrayBuffer();
      if (response.ok) filled += 1;
    }
  };
  await Promise.all(Array.from({ length: CORES }, client));
  const seconds = (performance.now() - started) / 1000;
  // The cache-off API's page path once too, so its first measured request is not its first.
  await fetch(`${stack.off.base}/todos`, { headers: authHeaders(stack.owners[0].token) }).then(
    (response) => response.arrayBuffer(),
  );
  stack.busy = !(await storeIdle(stack));
  await quiesce(stack.on);
  return { filled, seconds };
}

// --- measuring ----------------------------------------------------------------------------
function wrkOptions(stack, scenario) {
  return {
    connections: scenario.connections,
    duration: DURATION,
    threads: THREADS,
    timeout: scenario.timeout,
    ...(scenario.uncached
      ? { headers: authHeaders(stack.owners[0].token) }
      : { script: SCRIPT, scriptArgs: [stack.tokens, scenario.writes, THREADS] }),
  };
}

async function measure(stack, scenario) {
  const api = scenario.uncached ? stack.off : stack.on;
  const runs = [];
  for (let i = 0; i < REPEATS; i++) {
    const before = await cacheCounts(api);
    const run = await runWrk(`${api.base}/todos`, wrkOptions(stack, scenario));
    runs.push({ ...run, raw: undefined, busyStore: stack.busy });
    // Queued database work from this run would slow the next one.
    stack.busy = !(await storeIdle(stack));
    await quiesce(api);
    Object.assign(runs.at(-1), hitRatio(before, await cacheCounts(api)));
  }
  const middle = runs.find((run) => run.goodRps === median(runs.map((r) => r.goodRps)));
  return { scenario: scenario.name, backend: stack.name, ...middle };
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function table(rows) {
  const header = [
    'scenario',
    'backend',
    'req/s',
    'p50 ms',
    'p99 ms',
    'timeouts',
    'errors',
    'hit ratio',
    '÷ reads-only',
  ];
  const lines = rows.map((r) => [
    r.scenario,
    r.busyStore ? `${r.backend} *` : r.backend,
    fmt(r.goodRps),
    // wrk reports 0 latency when nothing came back in time: show that as no figure.
    r.goodRps > 0 ? fmt(r.p50, 2) : '–',
    r.goodRps > 0 ? fmt(r.p99, 2) : '–',
    String(r.timeouts),
    String(r.errors),
    r.hitRatio === undefined ? '–' : `${(r.hitRatio * 100).toFixed(1)}%`,
    r.versusReads === undefined ? '' : `${fmt(r.versusReads, 2)}×`,
  ]);
  const busy = rows.some((r) => r.busyStore)
    ? `\n\nMarked *: began while its store was still busy with requests an earlier run left (waited ${STORE_IDLE_WAIT_MS / 1000} s)`
    : '';
  return markdownTable(header, lines) + busy;
}

// --- the section --------------------------------------------------------------------------
/** The backend's FerretDB and its two APIs, up and ready. */
async function startStack(backend) {
  const prefix = `bench-owners-${backend.name}`;
  const ferretdb = startFerretdb(backend);
  await waitForTcp(backend.mongoPort);
  const on = startApi(`nest (${backend.name})`, backend.apiPort, backend.mongoPort, prefix);
  const off = startApi(
    `nest, cache off (${backend.name})`,
    backend.apiPort + 1,
    backend.mongoPort,
    `${prefix}-off`,
    { CACHE_ENABLED: 'false' },
  );
  await Promise.all([on, off].map((api) => waitFor(`${api.base}/health/ready`)));
  return { name: backend.name, ferretdb, on, off, uri: storeUri(backend.mongoPort) };
}

/** The owners' accounts (through the API) and their todos (straight to the store), timed. */
async function seed(stack) {
  console.log(`seeding ${OWNERS} owners × ${TODOS_PER_OWNER} todos on ${stack.name}`);
  const started = performance.now();
  stack.owners = await accounts(stack.on);
  const accountSeconds = (performance.now() - started) / 1000;
  const seconds = await seedTodos(stack.uri, stack.owners);
  stack.tokens = join(scratch, `tokens-${stack.name}.txt`);
  writeFileSync(stack.tokens, `${stack.owners.map((o) => o.token).join('\n')}\n`);
  return { accounts: OWNERS, accountSeconds, documents: OWNERS * TODOS_PER_OWNER, seconds };
}

export async function ownersBench() {
  process.on('exit', cleanUp);
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  for (const { mongoPort, apiPort } of BACKENDS) {
    for (const port of [mongoPort, apiPort, apiPort + 1]) {
      if (await answersTcp(port)) throw new Error(`127.0.0.1:${port} is taken: a run left over?`);
    }
  }
  // Built once, and again when its source changes, as the tests have it.
  buildFerretdb();
  mkdirSync(LOGS, { recursive: true });
  scratch = mkdtempSync(join(tmpdir(), 'todo-owners-'));

  const rows = [];
  const prepared = [];
  // One backend's processes at a time: a page that costs its store seconds keeps working
  // after its run ends, and would slow the other backend's figures; and a view cached for
  // one backend would expire (the TTL) while the other's scenarios ran.
  for (const backend of BACKENDS) {
    const stack = await startStack(backend);
    const seeding = await seed(stack);
    console.log(`caching page 1 of every owner on ${stack.name}`);
    prepared.push({ backend: stack.name, ...seeding, warm: await warm(stack) });
    for (const scenario of SCENARIOS) {
      const row = await measure(stack, scenario);
      rows.push(row);
      console.log(
        `${row.scenario} / ${row.backend}: ${fmt(row.goodRps)} req/s in time, p99 ${fmt(row.p99, 2)} ms, hit ratio ${row.hitRatio === undefined ? '–' : row.hitRatio.toFixed(3)}`,
      );
    }
    // The APIs before their database, so none sees its FerretDB go while it shuts down.
    await stop([stack.on.child, stack.off.child]);
    await stop([stack.ferretdb]);
  }
  for (const row of rows) {
    const versus = SCENARIOS.find((s) => s.name === row.scenario).versus;
    const base = rows.find((r) => r.scenario === versus && r.backend === row.backend);
    if (base?.goodRps > 0) row.versusReads = row.goodRps / base.goodRps;
  }
  // Shown scenario by scenario, the backends side by side.
  const order = (row) => SCENARIOS.findIndex((s) => s.name === row.scenario);
  rows.sort((a, b) => order(a) - order(b));

  const text = table(rows);
  const settings = `${DURATION} s per run, median of ${REPEATS}, wrk -t${THREADS}; ${OWNERS} owners × ${TODOS_PER_OWNER} todos per backend, each on a FerretDB of its own; ${CORES} cores, nest with CLUSTER_WORKERS=${CORES}; timeout 2 s at 100 connections, 5 s uncached; CACHE_TTL_SECONDS=${CACHE_TTL_SECONDS}. req/s: answers in time that were not errors; errors: connection errors and non-2xx answers; hit ratio: the response cache's hits ÷ (hits + misses) over the run, all API processes; ÷ reads-only: of the same backend`;
  const preparation = prepared
    .map(
      (p) =>
        `${p.backend}: ${p.accounts} accounts (register + login) in ${fmt(p.accountSeconds, 1)} s; ${p.documents} todos in ${fmt(p.seconds, 1)} s, ${fmt(p.documents / p.seconds)} documents/s; page 1 cached for ${p.warm.filled} of ${p.accounts} owners in ${fmt(p.warm.seconds, 1)} s`,
    )
    .join('\n');
  console.log(`\n${settings}\n\n${preparation}\n\n${text}`);
  mkdirSync('bench/results', { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(
    `bench/results/owners-${stamp}.json`,
    JSON.stringify({ settings, prepared, rows }, null, 2),
  );
  writeFileSync(`bench/results/owners-${stamp}.md`, `${settings}\n\n${preparation}\n\n${text}\n`);
  cleanUp();
}

if (import.meta.main) {
  await ownersBench();
  process.exit(0);
}
