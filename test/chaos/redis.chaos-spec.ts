import mongoose from 'mongoose';
import type { JobViewDto } from '../../src/job-status/job-view.dto.js';
import { ExportFilesService } from '../../src/exports/export-files.service.js';
import type { TodoDto } from '../../src/todos/dto/todo.dto.js';
import { startApi, type TestApi } from '../support/api.js';
import { LoadDriver } from '../support/load-driver.js';
import { PrivateMongo } from '../support/mongo-server.js';
import { PrivateRedis } from '../support/redis-server.js';
import { insertTodos, todoDocs } from '../support/todo-docs.js';
import { sleep, until } from '../support/wait.js';
import { startWorker, stopWorker, type TestWorker } from '../support/worker.js';
import { EXPORTS_UNLIMITED, RECOVERY } from './support.js';

const DATABASE = 'todo_chaos_redis';
const FAULT_MS = 3_000;

/**
 * Redis (with AOF) killed and restarted on the same port and data, then frozen and thawed,
 * under load: reads and plain writes keep answering from MongoDB within 1.5 s, and the jobs
 * queued before each fault — exports, and reminders that fall due during it — are all
 * processed by the real worker process after it.
 */
describe.each([
  ['killed', 'kill'],
  ['frozen', 'freeze'],
])('Redis %s under load (chaos)', (name, fault) => {
  let redis: PrivateRedis;
  let mongo: PrivateMongo;
  let api: TestApi;
  let worker: TestWorker;
  let load: LoadDriver;

  beforeAll(async () => {
    // MongoDB of its own too: other tests' load on the shared one would blur the latencies.
    [redis, mongo] = await Promise.all([PrivateRedis.start(), PrivateMongo.start()]);
    const database = `${DATABASE}_${fault}`;
    const env = {
      REDIS_URL: redis.url,
      MONGODB_URI: mongo.uri(database),
      LOG_LEVEL: 'error',
      // Several exports queued before each fault: past the per-owner limits, not under test.
      ...EXPORTS_UNLIMITED,
    };
    api = await startApi(database, env);
    // A job lock longer than the fault, as in production (30 s): jobs running when Redis
    // goes away finish once it is back, rather than being taken over as crashed.
    worker = await startWorker(database, { ...env, WORKER_LOCK_MS: '4000' });
    await insertTodos(
      api,
      todoDocs(500, (i) => ({ content: `seed ${i}`, created_at: new Date(i) })),
    );
    load = new LoadDriver(api.url, `redis-${fault}`, { clients: 8 });
    load.start();
    await sleep(1_000);
  });
  afterAll(async () => {
    await load?.stop();
    await stopWorker(worker);
    await api?.close();
    await Promise.all([redis?.kill(), mongo?.kill()]);
  });

  it(`keeps serving while Redis is ${name}, and runs the jobs queued before it afterwards`, async () => {
    const exportIds: string[] = [];
    const reminderIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const exported = await api.request<{ job_id: string }>('POST', '/todos/exports', {
        json: { format: i % 2 ? 'csv' : 'json' },
      });
      expect(exported.status).toBe(202);
      exportIds.push(exported.body.job_id);
      const todo = await api.request<TodoDto>('POST', '/todos', {
        // Falls due during the fault.
        json: { content: `remind ${i}`, remind_at: new Date(Date.now() + 1_500).toISOString() },
      });
      expect(todo.status).toBe(201);
      reminderIds.push(todo.body.id);
    }

    const faultAt = performance.now();
    if (fault === 'kill') await redis.kill();
    else redis.signal('SIGSTOP');
    await sleep(FAULT_MS);
    if (fault === 'kill') await redis.restart();
    else redis.signal('SIGCONT');

    const files = api.app.get(ExportFilesService);
    const failed: string[] = [];
    const exportsSettled = async () => {
      for (const id of exportIds) {
        const job = await api.request<JobViewDto>('GET', `/jobs/exports/${id}`);
        if (job.body.state === 'failed') {
          failed.push(job.text);
          continue;
        }
        if (job.body.state !== 'completed') return false;
      }
      return true;
    };
    await until(exportsSettled, Boolean, { ...RECOVERY, message: 'the exports completed' });
    expect(failed).toEqual([]);
    // The process sanitizes filters (sanitizeFilter): the test's own operators are trusted.
    const reminded = () =>
      api.todos
        .countDocuments({
          _id: mongoose.trusted({ $in: reminderIds }),
          reminded_at: mongoose.trusted({ $ne: null }),
        })
        .exec();
    await until(reminded, (n) => n === reminderIds.length, {
      ...RECOVERY,
      message: 'the reminders fired',
    });
    // Caching is back under load: the circuit closed in this process...
    await until(() => api.cache.stats.available, Boolean, {
      ...RECOVERY,
      message: 'the cache available again',
    });
    await load.stop();
    // ...and a view read twice is a hit the second time. With the load's writes stopped, no
    // write can replace the generation between the two reads.
    const page = () => api.request('GET', '/todos?limit=10');
    await page();
    await until(page, (p) => p.headers.get('x-cache') === 'HIT', {
      ...RECOVERY,
      message: 'the cache resumed',
      detail: () => `cache counters: ${JSON.stringify(api.cache.stats)}`,
    });

    let jobsLost = 0;
    for (const id of exportIds) if ((await files.countFor(id)) !== 1) jobsLost++;
    const lost = await load.lostWrites();
    load.report(
      `redis ${name} (max latency before the fault ${load.baselineMs(faultAt).toFixed(0)} ms)`,
      lost.length,
      jobsLost,
    );

    // Any 5xx but a 503, with its request and body, so that a failure explains itself.
    expect(load.unexpected).toEqual([]);
    const statuses = Object.keys(load.statuses()).map(Number);
    expect(statuses.filter((s) => s !== 200 && s !== 201)).toEqual([]);
    // 1.5 s at most; on a machine whose other load already stalled requests before the fault
    // (2 cores, shared), the fault may add at most 1 s to that stall.
    expect(load.maxMs()).toBeLessThan(Math.max(1_500, load.baselineMs(faultAt) + 1_000));
    expect(api.cache.stats.bypassed).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(jobsLost).toBe(0);
  });
});
