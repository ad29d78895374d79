import type { TodoDto, TodoPageDto } from '../src/todos/dto/todo.dto.js';
import { send, startApi, type TestApi } from './support/api.js';
import { PrivateRedis } from './support/redis-server.js';
import { sleep, until } from './support/wait.js';

interface Sample {
  status: number;
  ms: number;
  cache: string | null;
}

describe('response cache when Redis fails (e2e)', () => {
  let redis: PrivateRedis;
  let api: TestApi;
  let todoId: string;
  const samples: Sample[] = [];

  const timed = async (method: string, path: string, json?: unknown) => {
    const started = performance.now();
    const response = await send<TodoDto>(api.url, method, path, json ? { json } : {});
    samples.push({
      status: response.status,
      ms: performance.now() - started,
      cache: response.headers.get('x-cache'),
    });
    return response;
  };

  /** Polls until reads come from the cache again, without restarting anything. */
  const untilHit = () =>
    until(
      () => timed('GET', '/todos?limit=5'),
      (page) => page.headers.get('x-cache') === 'HIT',
      { timeoutMs: 10_000, intervalMs: 100, message: 'the cache resuming' },
    );

  /** Kills or freezes Redis with `fault`, writes while it is away, then `resumes` it. */
  const outage = async (content: string, fault: () => unknown, resume: () => unknown) => {
    await fault();
    await sleep(1_500);
    const written = await timed('POST', '/todos', { content });
    expect(written.status).toBe(201);
    await sleep(500);
    await resume();
    await untilHit();
    const page = await timed('GET', '/todos?limit=5');
    expect((page.body as unknown as TodoPageDto).items[0].content).toBe(content);
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    api = await startApi('todo_e2e_cache_failover', { REDIS_URL: redis.url });
    todoId = (await api.request<TodoDto>('POST', '/todos', { json: { content: 'seed' } })).body.id;
  });
  afterAll(async () => {
    await api.close();
    await redis.kill();
  });

  // One test: what it checks of every request is of the whole run, both failures included.
  it('serves from the cache, keeps answering without 5xx or a request over 1.5 s while Redis is killed, then frozen, and resumes caching each time', async () => {
    let running = true;
    // A steady stream of reads from 8 clients for the whole test.
    const load = Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        while (running) await timed('GET', i % 2 ? '/todos?limit=5' : `/todos/${todoId}`);
      }),
    );
    try {
      await untilHit();
      await outage(
        'written while redis was down',
        () => redis.kill(),
        () => redis.restart(),
      );
      await outage(
        'written while redis was frozen',
        () => redis.signal('SIGSTOP'),
        () => redis.signal('SIGCONT'),
      );
    } finally {
      running = false;
      await load;
    }

    const statuses = new Map<number, number>();
    for (const s of samples) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
    const slowest = Math.max(...samples.map((s) => s.ms));
    const bypassed = api.cache.stats.bypassed;
    process.stdout.write(
      `failover: ${samples.length} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
        `slowest ${slowest.toFixed(0)} ms, ${bypassed} served around the cache\n`,
    );
    expect([...statuses.keys()].every((status) => status === 200 || status === 201)).toBe(true);
    expect(slowest).toBeLessThan(1_500);
    expect(bypassed).toBeGreaterThan(0);
    expect(samples.length).toBeGreaterThan(500);
  }, 120_000); // the four tests' 30 s each that this one was
});
