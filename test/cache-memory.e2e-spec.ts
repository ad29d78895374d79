import type { ExportAcceptedDto } from '../src/exports/dto/create-export.dto.js';
import type { JobViewDto } from '../src/job-status/job-view.dto.js';
import { startApi, useApi, type TestApi } from './support/api.js';
import { PrivateRedis } from './support/redis-server.js';
import { insertTodos, todoDocs } from './support/todo-docs.js';
import { until } from './support/wait.js';
import { startWorker, stopWorker, type TestWorker } from './support/worker.js';

/** A todo of about a kilobyte: a page of 100 is about 100 KB. */
const fat = (i: number) => `${'x'.repeat(990)} ${i}`;

interface Page {
  items: { id: string; content: string }[];
}

/** `INFO <section>` as numbers by field. */
const info = async (redis: Awaited<ReturnType<PrivateRedis['client']>>, section: string) =>
  Object.fromEntries(
    (await redis.info(section))
      .split('\r\n')
      .map((line) => line.split(':'))
      .filter((pair) => pair.length === 2)
      .map(([name, value]) => [name, Number(value)]),
  );

describe("the cache's own Redis full to its maxmemory (e2e, real worker)", () => {
  const DATABASE = 'todo_e2e_cache_memory';
  let cacheRedis: PrivateRedis;
  let redis: Awaited<ReturnType<PrivateRedis['client']>>;
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    cacheRedis = await PrivateRedis.startEvicting('4mb');
    redis = await cacheRedis.client();
    const env = { CACHE_REDIS_URL: cacheRedis.url };
    [api, worker] = await Promise.all([startApi(DATABASE, env), startWorker(DATABASE, env)]);
    await insertTodos(
      api,
      todoDocs(300, (i) => ({ content: fat(i) })),
    );
  }, 90_000);
  afterAll(async () => {
    await stopWorker(worker);
    await api.close();
    await redis.close();
    await cacheRedis.kill();
  });

  it('evicts views instead of growing, while an export runs on the queues Redis', async () => {
    // The worker probes both servers too, and is ready (asked until it is: on a machine busy
    // with the setup above, a check may be slower than its 800 ms at first).
    await worker.process.waitForHttp(`${worker.healthUrl}/health/ready`);
    // One user walking pages of fat todos: each page its own cached view of ~100 KB.
    for (let start = 0; start < 200; start += 2) {
      const page = await api.request<Page>('GET', `/todos?limit=100&start=${start}`);
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(100);
    }
    const memory = await info(redis, 'memory');
    expect((await info(redis, 'stats')).evicted_keys).toBeGreaterThan(0);
    expect(memory.maxmemory).toBe(4 * 1024 * 1024);
    // ~10 MB of views were stored: the server kept to its maxmemory (plus its own slack).
    expect(memory.used_memory).toBeLessThan(memory.maxmemory * 1.25);

    const accepted = await api.request<ExportAcceptedDto>('POST', '/todos/exports', {
      json: { format: 'json' },
    });
    expect(accepted.status).toBe(202);
    const job = await until(
      async () =>
        (await api.request<JobViewDto>('GET', `/jobs/exports/${accepted.body.job_id}`)).body,
      (view) => view.state === 'completed' || view.state === 'failed',
      { timeoutMs: 60_000, intervalMs: 50, message: 'the export settling' },
    );
    expect(job.state).toBe('completed');
    const file = await api.request<unknown[]>(
      'GET',
      `/todos/exports/${accepted.body.job_id}/download`,
    );
    expect(file.body).toHaveLength(300);
  });

  it('still answers every read right while full: a write is seen at once', async () => {
    const [first] = (await api.request<Page>('GET', '/todos?limit=100&start=10')).body.items;
    const changed = await api.request('PATCH', `/todos/${first.id}`, { json: { content: 'new' } });
    expect(changed.status).toBe(200);
    const again = await api.request<Page>('GET', '/todos?limit=100&start=10');
    expect(again.body.items[0]).toMatchObject({ id: first.id, content: 'new' });
  });
});

describe('bodies over CACHE_MAX_BODY_BYTES (e2e)', () => {
  const api = useApi('todo_e2e_cache_memory_cap', { env: { CACHE_MAX_BODY_BYTES: '4096' } });

  beforeAll(() =>
    insertTodos(
      api,
      todoDocs(10, (i) => ({ content: fat(i) })),
    ),
  );

  it('are served, never cached; smaller views of the same owner still are', async () => {
    const before = api.cache.stats.oversized;
    const answers = [
      await api.request<Page>('GET', '/todos'),
      await api.request<Page>('GET', '/todos'),
    ];
    expect(answers.map((a) => [a.status, a.headers.get('x-cache'), a.body.items.length])).toEqual([
      [200, 'MISS', 10],
      [200, 'MISS', 10],
    ]);
    expect(Buffer.byteLength(answers[0].text)).toBeGreaterThan(4096);
    expect(answers[1].text).toBe(answers[0].text);
    expect(api.cache.stats.oversized - before).toBe(2);

    const small = [
      await api.request('GET', '/todos?limit=2'),
      await api.request('GET', '/todos?limit=2'),
    ];
    expect(small.map((a) => a.headers.get('x-cache'))).toEqual(['MISS', 'HIT']);
  });
});
