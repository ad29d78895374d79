import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Types } from 'mongoose';
import { QUEUES } from '../../src/queues/queues.constants.js';
import { ExportFilesService } from '../../src/exports/export-files.service.js';
import type { JobViewDto } from '../../src/jobs/job-view.dto.js';
import { startApi, type TestApi } from '../support/api.js';
import { LoadDriver } from '../support/load-driver.js';
import { startWorker, stopWorker, type TestWorker } from '../support/worker.js';
import { sleep, until } from './support.js';

const DATABASE = 'todo_chaos_worker';
const KILLS = 5;

describe('worker killed repeatedly during a stream of exports (chaos)', () => {
  let api: TestApi;
  let worker: TestWorker | undefined;
  let load: LoadDriver;
  let exports: LoadDriver;
  // Lock and stalled check as startWorker sets them (2 s, 1 s), so takeovers come in seconds.
  // The kills land on whatever job runs, so one job may be interrupted more often than the
  // production limit on takeovers (WORKER_MAX_STALLED_COUNT) allows: that limit is for a job
  // that crashes its worker every time, which these are not.
  const start = () => startWorker(DATABASE, { LOG_LEVEL: 'error', WORKER_MAX_STALLED_COUNT: '20' });

  beforeAll(async () => {
    api = await startApi(DATABASE, { LOG_LEVEL: 'error' });
    // The shared Redis keeps this file's queue between runs: start from an empty one.
    await api.app.get<Queue>(getQueueToken(QUEUES.exports)).obliterate({ force: true });
    // Enough todos that an export takes a while, so kills land in the middle of jobs.
    await api.todos.insertMany(
      Array.from({ length: 2_000 }, (_, i) => ({
        _id: new Types.ObjectId(),
        content: `todo ${i}`,
        created_at: new Date(Date.UTC(2026, 0, 1) + i),
      })),
    );
    await api.views.invalidate();
    worker = await start();
  });
  afterAll(async () => {
    await load?.stop();
    await exports?.stop();
    await stopWorker(worker);
    await api?.close();
  });

  it(`completes every export, each with one file, though the worker is SIGKILLed ${KILLS} times`, async () => {
    // One client requests an export about every 400 ms (a stream the worker keeps up with);
    // four others read and write todos meanwhile.
    load = new LoadDriver(api.url, 'worker', { clients: 4 });
    exports = new LoadDriver(api.url, 'exports', { clients: 1, mix: ['export'], pauseMs: 400 });
    load.start();
    exports.start();
    const queue = api.app.get<Queue>(getQueueToken(QUEUES.exports));
    let interrupted = 0;
    for (let i = 0; i < KILLS; i++) {
      await sleep(1_000 + (i % 3) * 500);
      interrupted += await queue.getActiveCount();
      await stopWorker(worker, 'SIGKILL');
      worker = await start();
    }
    await exports.stop();
    await load.stop();

    const files = api.app.get(ExportFilesService);
    const states = new Map<string, JobViewDto>();
    await until(
      'every export settled',
      async () => {
        for (const id of exports.jobs) {
          if (states.get(id)?.state === 'completed' || states.get(id)?.state === 'failed') continue;
          states.set(id, (await api.request<JobViewDto>('GET', `/jobs/exports/${id}`)).body);
        }
        return [...states.values()].every((j) => j.state === 'completed' || j.state === 'failed');
      },
      60_000,
    ).catch((error: unknown) => {
      // Which jobs did not settle, and in what state: the clue to what went wrong.
      const open = [...states.values()].filter((j) => j.state !== 'completed');
      throw new Error(`${String(error)}: ${JSON.stringify(open.slice(0, 10))}`);
    });
    const notCompleted = [...states.values()].filter((j) => j.state !== 'completed');
    const withoutOneFile: string[] = [];
    for (const id of exports.jobs) if ((await files.countFor(id)) !== 1) withoutOneFile.push(id);
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
    expect(interrupted).toBeGreaterThan(0);
    for (const driver of [load, exports])
      expect(
        Object.keys(driver.statuses())
          .map(Number)
          .filter((s) => s >= 300),
      ).toEqual([]);
  });
});
