import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ExportFilesService } from '../src/exports/export-files.service.js';
import { QUEUES } from '../src/queues/queues.constants.js';
import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { expectError, startApi, type TestApi } from './support/api.js';
import { signIn } from './support/auth.js';
import {
  askExport,
  downloadExport,
  requestExport,
  settleExport,
  viewExport,
} from './support/exports.js';
import { insertTodos, todoDocs } from './support/todo-docs.js';
import { sleep, until } from './support/wait.js';
import { startWorker, stopWorker, type TestWorker } from './support/worker.js';
import type { ExportJobResult, ExportsSweep } from '../src/jobs/job-catalogue.js';

/** Runs the maintenance job on the real worker, once, and answers what its exports sweep did. */
async function runMaintenance(api: TestApi, run: string): Promise<ExportsSweep> {
  const queue = api.app.get<Queue>(getQueueToken(QUEUES.maintenance));
  // A job id of this run's own: Redis keeps the jobs of the runs before it.
  const job = await queue.add('maintenance.run', {}, { jobId: `sweep-${run}-${randomUUID()}` });
  const id = String(job.id);
  await until(
    () => queue.getJobState(id),
    (state) => state === 'completed' || state === 'failed',
    { timeoutMs: 30_000, intervalMs: 20, message: `maintenance ${run}` },
  );
  const done = await queue.getJob(id);
  expect(done?.failedReason).toBeUndefined();
  return (done?.returnvalue as { exports: ExportsSweep }).exports;
}

describe('an export ends with its lifetime (e2e, real worker)', () => {
  const DATABASE = 'todo_e2e_exports_lifetime';
  // About 7 s: long enough that a slow worker or poll on a loaded machine still sees the
  // export completed before it expires; the test then waits for the recorded end itself.
  const SETTINGS = { EXPORT_TTL_HOURS: '0.002', EXPORT_MAX_KEPT: '1' };
  let api: TestApi;
  let worker: TestWorker | undefined;

  beforeAll(async () => {
    api = await startApi(DATABASE, SETTINGS);
    await insertTodos(api, todoDocs(20));
  });
  afterAll(async () => {
    await stopWorker(worker);
    await api.close();
  });

  it('keeps the file until EXPORT_TTL_HOURS after it finished, then answers 410 and deletes it', async () => {
    const id = await requestExport(api.url, { format: 'json' });
    // No worker yet: the export stays in flight, and holds the one kept slot meanwhile.
    expectError(await askExport(api.url, { format: 'csv' }), 409);
    worker = await startWorker(DATABASE, SETTINGS);
    const job = await settleExport(api.url, id);
    expect(job.state).toBe('completed');
    const result = job.result as ExportJobResult;
    const end = Date.parse(result.expires_at);
    expect(end).toBeGreaterThan(Date.now() - 5_000);

    await sleep(Math.max(0, end - Date.now()) + 50);
    // Past its end, the file is refused before the sweep deletes it.
    expectError(await downloadExport(api.url, id), 410);
    const files = api.app.get(ExportFilesService);
    expect(await files.countFor(id)).toBe(1);

    const sweep = await runMaintenance(api, 'lifetime');
    expect(sweep.expired).toBe(1);
    expect(await files.countFor(id)).toBe(0);
    expectError(await downloadExport(api.url, id), 410);
    expect(await viewExport(api.url, id)).toMatchObject({ id, state: 'expired' });
    // Expired, it holds no slot: the owner may export again.
    expect((await askExport(api.url, { format: 'csv' })).status).toBe(202);
  });
});

describe("another owner's exports cannot trim yours (e2e, real worker)", () => {
  const DATABASE = 'todo_e2e_exports_trim';
  // BullMQ keeps 2 completed export jobs, whoever made them: the scaled-down 1,000.
  const SETTINGS = { EXPORT_JOBS_KEPT: '2' };
  const OTHERS = 6;
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    api = await startApi(DATABASE, SETTINGS);
    await insertTodos(api, todoDocs(30));
    worker = await startWorker(DATABASE, SETTINGS);
  });
  afterAll(async () => {
    await stopWorker(worker);
    await api.close();
  });

  it(`${OTHERS} exports of another owner trim A's job from Redis, and A's export answers all the same`, async () => {
    const id = await requestExport(api.url, { format: 'json' });
    const before = await settleExport(api.url, id);
    expect(before.state).toBe('completed');

    const b = await signIn(api.url);
    for (let i = 0; i < OTHERS; i++) {
      const other = await requestExport(api.url, { format: 'csv' }, b);
      expect((await settleExport(api.url, other, b)).state).toBe('completed');
    }
    const queue = api.app.get<Queue>(getQueueToken(QUEUES.exports));
    // The rule the old trim broke: A's job is gone from Redis...
    expect(await queue.getJob(id)).toBeUndefined();
    expect(await queue.getJobCounts('completed')).toEqual({ completed: 2 });

    // ...and A's export is still A's, finished, with its file.
    expect(await viewExport(api.url, id)).toStrictEqual({ ...before, state: 'completed' });
    const file = await downloadExport<TodoDto[]>(api.url, id);
    expect(file.status).toBe(200);
    expect(file.body).toHaveLength(30);
    // And B sees nothing of it.
    expectError(await downloadExport(api.url, id, b), 404);
    expectError(await api.request('GET', `/jobs/exports/${id}`, { token: b }), 404);
  });
});
