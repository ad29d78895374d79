import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { Types } from 'mongoose';
import type { ExportAcceptedDto } from '../src/exports/dto/create-export.dto.js';
import { QUEUES } from '../src/queues/queues.constants.js';
import { databaseUri, expectError, send, startApi, type TestApi } from './support/api.js';
import { signIn } from './support/auth.js';
import { askExport, ownerOf, settleExport } from './support/exports.js';
import { spawnApi, type SpawnedApi } from './support/spawned-api.js';
import { insertTodos, todoDocs } from './support/todo-docs.js';
import { until } from './support/wait.js';
import { startWorker, stopWorker, type TestWorker } from './support/worker.js';

const DATABASE = 'todo_e2e_exports_race';
const EXPORTS = 30;
const POLLERS = 8;
// One owner's exports, one after another: more than the default number kept.
const KEEP_THEM_ALL = { EXPORT_MAX_KEPT: String(EXPORTS) };

/**
 * Downloads polled as fast as they go while their export completes, from two API processes:
 * every attempt on either side of the completion edge answers 409 or 200, never a 5xx. Each
 * export waits in its paused queue until every poller has had an answer, so the pollers are
 * on the edge before the export completes, however fast the worker is.
 */
describe('export download across job completion (e2e, two API processes, real worker)', () => {
  let api: TestApi;
  let second: SpawnedApi;
  let worker: TestWorker | undefined;
  let redis: Redis;
  let queue: Queue;

  beforeAll(async () => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    queue = new Queue(QUEUES.exports, { prefix: DATABASE, connection: redis });
    api = await startApi(DATABASE, KEEP_THEM_ALL);
    await insertTodos(
      api,
      todoDocs(300, (i) => ({ created_at: new Date(i) })),
    );
    second = await spawnApi(DATABASE, KEEP_THEM_ALL);
    worker = await startWorker(DATABASE);
  });
  afterAll(async () => {
    await queue?.resume();
    await queue?.close();
    redis?.disconnect();
    await stopWorker(worker);
    await second.stop();
    await api.close();
  });

  /**
   * Polls the download until it is served; returns every status seen on the way. Calls
   * `answered` after the first.
   */
  const poll = async (url: string, id: string, answered: () => void): Promise<number[]> => {
    const statuses: number[] = [];
    const download = async () => {
      const { status } = await send<string>(url, 'GET', `/todos/exports/${id}/download`);
      if (statuses.push(status) === 1) answered();
      return status;
    };
    const options = { timeoutMs: 30_000, intervalMs: 0, message: `export ${id} downloadable` };
    await until(download, (status) => status !== 409, options);
    return statuses;
  };

  it(`${EXPORTS} exports, ${POLLERS} pollers each: only 409 before completion and 200 after`, async () => {
    const counts = new Map<number, number>();
    let crossed = 0;
    for (let i = 0; i < EXPORTS; i++) {
      const format = i % 2 === 0 ? 'json' : 'csv';
      await queue.pause();
      const accepted = await api.request<ExportAcceptedDto>('POST', '/todos/exports', {
        json: { format },
      });
      expect(accepted.status).toBe(202);
      const urls = Array.from({ length: POLLERS }, (_, p) => (p % 2 ? second.url : api.url));
      let answered = 0;
      let everyPollerAnswered = () => {};
      const onEdge = new Promise<void>((resolve) => (everyPollerAnswered = resolve));
      const polls = Promise.all(
        urls.map((url) =>
          poll(url, accepted.body.job_id, () => ++answered === POLLERS && everyPollerAnswered()),
        ),
      );
      // A poller that fails before its first answer fails the test rather than hold it.
      await Promise.race([onEdge, polls]);
      await queue.resume();
      const seen = await polls;
      for (const status of seen.flat()) counts.set(status, (counts.get(status) ?? 0) + 1);
      expect(seen.map((statuses) => statuses.at(-1))).toEqual(urls.map(() => 200));
      if (seen.some((statuses) => statuses[0] === 409)) crossed++;
    }
    expect([...counts.keys()].sort()).toEqual([200, 409]);
    const attempts = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(attempts).toBeGreaterThanOrEqual(EXPORTS * POLLERS);
    // Every export was polled before it completed, so the edge was crossed, not skipped.
    expect(crossed).toBe(EXPORTS);
    // 30 exports one after another, each a few MongoDB writes more than before it had a record.
  }, 120_000);
});

/**
 * The per-owner limits, raced from two API processes: parallel requests of one owner cannot
 * pass either, and another owner's exports are not counted against it.
 */
describe('per-owner export limits (e2e, two API processes)', () => {
  const DATABASE = 'todo_e2e_exports_limits';
  const LIMITS = { EXPORT_MAX_RUNNING: '3', EXPORT_MAX_KEPT: '5' };
  const PARALLEL = 24;
  let first: SpawnedApi;
  let second: SpawnedApi;
  let worker: TestWorker | undefined;

  beforeAll(async () => {
    // A run before this one left its exports (and so its slots) in this database.
    await dropDatabase();
    [first, second] = await Promise.all([spawnApi(DATABASE, LIMITS), spawnApi(DATABASE, LIMITS)]);
  }, 60_000);
  afterAll(async () => {
    await stopWorker(worker);
    await Promise.all([first.stop(), second.stop()]);
    await dropDatabase();
  });

  const dropDatabase = async () => {
    const client = await MongoClient.connect(databaseUri(DATABASE));
    await client.db().dropDatabase();
    await client.close();
  };

  /** `n` exports of the default owner asked for at once, alternating between the processes. */
  const race = (n: number, format: 'csv' | 'json') =>
    Promise.all(
      Array.from({ length: n }, (_, i) => askExport(i % 2 ? second.url : first.url, { format })),
    );

  const recordsOf = async (ownerId: string) => {
    const client = await MongoClient.connect(databaseUri(DATABASE));
    try {
      const records = client.db().collection('export_records');
      return await records.find({ owner_id: new Types.ObjectId(ownerId) }).toArray();
    } finally {
      await client.close();
    }
  };

  it(`${PARALLEL} parallel exports pass the running limit 3 times, the rest answer 429 with Retry-After`, async () => {
    // No worker: accepted exports wait, and waiting is in flight.
    const answers = await race(PARALLEL, 'csv');
    const accepted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status !== 202);
    expect(accepted).toHaveLength(3);
    for (const answer of refused) {
      expectError(answer, 429);
      expect(answer.headers.get('retry-after')).toBe('10');
    }
    const records = await recordsOf(await ownerOf(first.url, first.token));
    expect(records.map((record) => record.state as unknown)).toEqual([
      'in_flight',
      'in_flight',
      'in_flight',
    ]);

    // Another owner is not held back by this one's exports.
    const other = await signIn(first.url);
    expect((await askExport(second.url, { format: 'json' }, other)).status).toBe(202);
  });

  it('parallel exports pass the kept limit exactly as often as slots are left, then 409', async () => {
    worker = await startWorker(DATABASE, LIMITS);
    const owner = await ownerOf(first.url, first.token);
    const kept = (await recordsOf(owner)).map((record) => String(record._id));
    for (const id of kept) expect((await settleExport(first.url, id)).state).toBe('completed');

    // 3 kept of 5, none running: of 10 at once, 2 fit; the others meet one limit or the other.
    const answers = await race(10, 'json');
    const accepted = answers.filter((answer) => answer.status === 202);
    expect(accepted).toHaveLength(2);
    for (const answer of answers.filter((a) => a.status !== 202)) {
      expect([409, 429]).toContain(answer.status);
    }
    for (const answer of accepted) {
      expect((await settleExport(first.url, answer.body.job_id)).state).toBe('completed');
    }
    expectError(await askExport(second.url, { format: 'csv' }), 409);
    expect((await recordsOf(owner)).filter((r) => r.state === 'completed')).toHaveLength(5);
  }, 90_000);
});
