import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { QUEUES } from '../../src/queues/queues.constants.js';
import { ExportFilesService } from '../../src/exports/export-files.service.js';
import type { JobViewDto } from '../../src/job-status/job-view.dto.js';
import { startApi, type TestApi } from '../support/api.js';
import { LoadDriver } from '../support/load-driver.js';
import { PrivateMongo } from '../support/mongo-server.js';
import { PrivateRedis } from '../support/redis-server.js';
import { insertTodos, todoDocs } from '../support/todo-docs.js';
import { sleep, until } from '../support/wait.js';
import { startWorker, stopWorker, type TestWorker } from '../support/worker.js';
import { EXPORTS_UNLIMITED, RECOVERY } from './support.js';

const DATABASE = 'todo_chaos_worker';
const KILLS = 5;

describe('worker killed repeatedly during a stream of exports (chaos)', () => {
  let mongo: PrivateMongo;
  let redis: PrivateRedis;
  let stores: Record<string, string>;
  let api: TestApi;
  let worker: TestWorker | undefined;
  let connection: Redis;
  let queue: Queue;
  let load: LoadDriver;
  let exports: LoadDriver;
  const outputs: (() => string)[] = [];
  const start = async () => {
    const started = await startWorker(DATABASE, {
      ...stores,
      LOG_LEVEL: 'error',
      // A killed worker's jobs are taken over within seconds (production: 30 s), yet a lock
      // outlives the event-loop and store delays of a busy 2-core machine.
      WORKER_LOCK_MS: '4000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      // The kills land on whatever job runs, so one job may be interrupted more often than
      // the production limit on takeovers allows: that limit is for a job that crashes its
      // worker every time, which these do not.
      WORKER_MAX_STALLED_COUNT: '20',
    });
    outputs.push(started.process.output);
    return started;
  };

  beforeAll(async () => {
    // Stores of its own: other tests' load on the shared ones would only blur the timings.
    [mongo, redis] = await Promise.all([PrivateMongo.start(), PrivateRedis.start()]);
    // A stream of one owner's exports: past the per-owner limits, which are not under test here.
    stores = { MONGODB_URI: mongo.uri(DATABASE), REDIS_URL: redis.url, ...EXPORTS_UNLIMITED };
    api = await startApi(DATABASE, { ...stores, LOG_LEVEL: 'error' });
    // Enough todos that an export takes a while: a running one is soon found to kill in.
    await insertTodos(api, todoDocs(1_000));
    worker = await start();
    connection = new Redis(redis.url);
    queue = new Queue(QUEUES.exports, { prefix: DATABASE, connection });
  });
  afterAll(async () => {
    await load?.stop();
    await exports?.stop();
    await queue?.close();
    connection?.disconnect();
    await stopWorker(worker);
    await api?.close();
    await Promise.all([mongo?.kill(), redis?.kill()]);
  });

  /**
   * Freezes the worker (SIGSTOP) while an export runs, and says how many were running: the
   * kill that follows lands mid-job whatever the machine's speed, as a frozen worker can
   * finish nothing. Thawed and tried again when the job ended before the freeze.
   */
  const freezeMidJob = async (running: TestWorker | undefined) => {
    const caught = async () => {
      if ((await queue.getActiveCount()) === 0) return 0;
      running?.process.child.kill('SIGSTOP');
      let active = 0;
      try {
        active = await queue.getActiveCount();
      } finally {
        if (active === 0) running?.process.child.kill('SIGCONT'); // thawed on an error too
      }
      return active;
    };
    const options = { ...RECOVERY, intervalMs: 10, message: 'an export running' };
    return until(caught, (active) => active > 0, options);
  };

  it(`completes every export, each with one file, though the worker is SIGKILLed ${KILLS} times`, async () => {
    // One client requests an export about every 500 ms (a stream the worker keeps up with);
    // four others read and write todos meanwhile.
    load = new LoadDriver(api.url, 'worker', { clients: 4 });
    exports = new LoadDriver(api.url, 'exports', { clients: 1, mix: ['export'], pauseMs: 500 });
    load.start();
    exports.start();
    let interrupted = 0;
    for (let i = 0; i < KILLS; i++) {
      await sleep(1_000 + (i % 3) * 500);
      interrupted += await freezeMidJob(worker);
      await stopWorker(worker, 'SIGKILL');
      worker = await start();
    }
    // The stream is long enough to mean something, however long the kills above took.
    const asked = { ...RECOVERY, message: 'more than 20 exports asked for' };
    await until(
      () => exports.jobs.length,
      (n) => n > 20,
      asked,
    );
    await exports.stop();
    await load.stop();

    const files = api.app.get(ExportFilesService);
    const states = new Map<string, JobViewDto>();
    const settled = async () => {
      for (const id of exports.jobs) {
        if (states.get(id)?.state === 'completed' || states.get(id)?.state === 'failed') continue;
        states.set(id, (await api.request<JobViewDto>('GET', `/jobs/exports/${id}`)).body);
      }
      return [...states.values()].every((j) => j.state === 'completed' || j.state === 'failed');
    };
    const waiting = { ...RECOVERY, timeoutMs: 90_000, message: 'every export settled' };
    await until(settled, Boolean, waiting).catch(async (error: unknown) => {
      // Which jobs did not settle, and in what state: the clue to what went wrong.
      const open = [...states.values()].filter((j) => j.state !== 'completed').slice(0, 6);
      const db = api.todos.db;
      const stored = await Promise.all(
        open.map(async (j) => ({
          id: j.id,
          state: j.state,
          files: await db
            .collection('exports.files')
            .countDocuments({ _id: `export-${j.id}` as never }),
          chunks: await db
            .collection('exports.chunks')
            .countDocuments({ files_id: `export-${j.id}` }),
        })),
      );
      const output = outputs.map((o) => o().slice(-1500)).join('\n---\n');
      throw new Error(`${String(error)}: ${JSON.stringify(stored)}\n${output}`);
    });
    const notCompleted = [...states.values()].filter((j) => j.state !== 'completed');
    // The run that settles an export deletes the other attempts' files just after: each
    // export is left with one file within moments, not at the instant it reads completed.
    const filesOf = async () => {
      const counts: Record<string, number> = {};
      for (const id of exports.jobs) counts[id] = await files.countFor(id);
      return counts;
    };
    const oneEach = { ...RECOVERY, timeoutMs: 10_000, message: 'one file per export' };
    const counts = await until(
      filesOf,
      (c) => Object.values(c).every((n) => n === 1),
      oneEach,
    ).catch(async (error: unknown) => {
      // How many files each wrong export has, and what its record says: the clue.
      const wrong = Object.entries(await filesOf()).filter(([, n]) => n !== 1);
      const records = api.todos.db.collection('export_records');
      const detail = await Promise.all(
        wrong.map(async ([id, n]) => ({
          id,
          files: n,
          record: await records.findOne(
            { _id: new Types.ObjectId(id) },
            { projection: { state: 1, file_id: 1, attempt_files: 1, attempts_made: 1 } },
          ),
        })),
      );
      console.error(`${String(error)}: ${JSON.stringify(detail)}`);
      return Object.fromEntries(wrong);
    });
    const withoutOneFile = Object.keys(counts).filter((id) => counts[id] !== 1);
    const jobsLost = new Set([...notCompleted.map((j) => j.id), ...withoutOneFile]).size;
    load.report(
      `worker SIGKILLed ${KILLS}x (${exports.jobs.length} exports, ${interrupted} interrupted mid-run, ` +
        `export requests ${JSON.stringify(exports.statuses())})`,
      (await load.lostWrites()).length,
      jobsLost,
    );

    expect(notCompleted).toEqual([]);
    expect(withoutOneFile).toEqual([]);
    expect(exports.jobs.length).toBeGreaterThan(20);
    expect(interrupted).toBeGreaterThanOrEqual(KILLS);
    for (const driver of [load, exports])
      expect(
        Object.keys(driver.statuses())
          .map(Number)
          .filter((s) => s >= 300),
      ).toEqual([]);
  });
});
