// The migration benchmark (`npm run bench:migrate`): how fast `npm run migrate` converts the
// original's documents on the embedded default, FerretDB over PostgreSQL, and on FerretDB over
// SQLite. For each backend and batch size it starts a FerretDB on empty storage, inserts
// documents as the original wrote them (float epoch seconds, no owner, its
// `created_at_-1` index), times the built command (`node dist/migrate.js --batch N`, with
// `--writers 1` on SQLite, which hangs on concurrent updates), then times a second run,
// which must convert nothing. Prints one table, also written under bench/results/migrate-*.
//   MIGRATE_COUNT  documents on PostgreSQL (10,000)   MIGRATE_SQLITE_COUNT  on SQLite (1,000)
//   MIGRATE_BATCHES  batch sizes, comma-separated (20,50,99)
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { markdownTable } from './lib.mjs';
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

const COUNT = Number(process.env.MIGRATE_COUNT ?? 10_000);
const SQLITE_COUNT = Number(process.env.MIGRATE_SQLITE_COUNT ?? 1_000);
const BATCHES = (process.env.MIGRATE_BATCHES ?? '20,50,99').split(',').map(Number);
const DATABASE = 'todo_bench_migrate';
const PORT = 3946;
const BASE = 1_790_000_000;

/** Documents exactly as the original wrote them: one second apart, a third finished. */
const originalDocs = (from, to) =>
  Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    const created = BASE + i + 0.123;
    return {
      content: `todo ${i}`,
      created_at: created,
      is_finished: i % 3 === 0,
      finished_at: i % 3 === 0 ? created + 5.5 : null,
    };
  });

/** `node dist/migrate.js` with `args`: its summary line and how long it took, in seconds. */
async function migrate(args) {
  const began = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, ['dist/migrate.js', ...args], {
    env: {
      ...process.env,
      MONGODB_URI: `mongodb://127.0.0.1:${PORT}/${DATABASE}`,
      CACHE_KEY_PREFIX: DATABASE,
      QUEUE_PREFIX: DATABASE,
      LOG_LEVEL: 'warn',
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  const seconds = (performance.now() - began) / 1000;
  const converted = Number(/(\d+) converted/.exec(stdout)?.[1]);
  if (!Number.isInteger(converted)) throw new Error(`migrate printed no count: ${stdout}`);
  return { seconds, converted };
}

// SQLite converts about one document a second at 10,000 (each conditional update scans the
// collection): fewer there, or the run takes hours.
const BACKENDS = [
  { name: 'postgresql', writers: 4, count: COUNT },
  { name: 'sqlite', writers: 1, count: SQLITE_COUNT },
];

async function run(backend, batch) {
  const scratch = mkdtempSync(join(tmpdir(), 'todo-migrate-'));
  const storage =
    backend.name === 'postgresql'
      ? ['-handler', 'postgresql', '-postgresql-url', freshPgDatabase(DATABASE)]
      : ['-handler', 'sqlite', '-data', scratch];
  const ferretdb = start('FerretDB', FERRETDB, ['-listen', `127.0.0.1:${PORT}`, ...storage]);
  await waitForTcp(PORT);
  const client = new MongoClient(`mongodb://127.0.0.1:${PORT}/${DATABASE}`);
  try {
    const todos = client.db(DATABASE).collection('todos');
    await todos.createIndex({ created_at: -1 }); // the original's ensureIndex
    for (let i = 0; i < backend.count; i += 1_000) {
      await todos.insertMany(originalDocs(i, Math.min(backend.count, i + 1_000)));
    }
    const args = ['--batch', String(batch), '--writers', String(backend.writers)];
    const first = await migrate(args);
    const second = await migrate(args);
    const dates = await todos.countDocuments({ created_at: { $type: 'date' } });
    const { name, writers, count } = backend;
    return { backend: name, count, batch, writers, first, second, dates };
  } finally {
    await client.close();
    await stop([ferretdb]);
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.on('exit', stopAll);
if (await answersTcp(PORT)) throw new Error(`127.0.0.1:${PORT} is taken: a run left over?`);
buildFerretdb();
const rows = [];
for (const backend of BACKENDS) {
  for (const batch of BATCHES) {
    const row = await run(backend, batch);
    rows.push(row);
    const { converted, seconds } = row.first;
    console.log(
      `${backend.name} --batch ${batch}: ${converted} converted in ${seconds.toFixed(1)} s`,
    );
  }
}
const settings = `Original documents on FerretDB 1.24, fresh storage per row; the built command, timed as a whole (its boot included)`;
const text = markdownTable(
  [
    'backend',
    'documents',
    '--batch',
    '--writers',
    'converted',
    'seconds',
    'documents/s',
    'created_at dates after',
    'second run: converted',
    'second run: seconds',
  ],
  rows.map((r) => [
    r.backend,
    String(r.count),
    String(r.batch),
    String(r.writers),
    String(r.first.converted),
    r.first.seconds.toFixed(1),
    (r.first.converted / r.first.seconds).toFixed(0),
    String(r.dates),
    String(r.second.converted),
    r.second.seconds.toFixed(1),
  ]),
);
console.log(`\n${settings}\n\n${text}`);
mkdirSync('bench/results', { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(`bench/results/migrate-${stamp}.md`, `${settings}\n\n${text}\n`);
