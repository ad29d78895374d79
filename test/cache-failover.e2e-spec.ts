import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { send, startApi, type TestApi } from './support/api.js';
import { PrivateRedis } from './support/redis-server.js';

interface Sample {
  status: number;
  ms: number;
  cache: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('response cache when Redis fails (e2e)', () => {
  let redis: PrivateRedis;
  let api: TestApi;
  let todoId: string;
  const samples: Sample[] = [];
  let running = true;
  let load: Promise<void>;

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
  const untilHit = async () => {
    for (let i = 0; i < 100; i++) {
      if ((await timed('GET', '/todos?limit=5')).headers.get('x-cache') === 'HIT') return;
      await sleep(100);
    }
    throw new Error('the cache did not resume');
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    api = await startApi('todo_e2e_cache_failover', { REDIS_URL: redis.url });
    todoId = (await api.request<TodoDto>('POST', '/todos', { json: { content: 'seed' } })).body.id;
    // A steady stream of reads from 8 clients for the whole test.
    load = Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        while (running) await timed('GET', i % 2 ? '/todos?limit=5' : `/todos/${todoId}`);
      }),
    ).then(() => undefined);
  });
  afterAll(async () => {
    running = false;
    await load;
    await api.close();
    await redis.kill();
  });

  it('serves from the cache while Redis is up', async () => {
    await untilHit();
  });

  it('keeps answering without 5xx when Redis is killed, and resumes caching when it returns', async () => {
    await redis.kill();
    await sleep(1_500);
    const written = await timed('POST', '/todos', { content: 'written while redis was down' });
    expect(written.status).toBe(201);
    await sleep(500);
    await redis.restart();
    await untilHit();
    const page = await timed('GET', '/todos?limit=5');
    expect((page.body as unknown as { items: TodoDto[] }).items[0].content).toBe(
      'written while redis was down',
    );
  });

  it('keeps answering without 5xx while Redis is frozen, and resumes caching when it thaws', async () => {
    redis.signal('SIGSTOP');
    await sleep(1_500);
    const written = await timed('POST', '/todos', { content: 'written while redis was frozen' });
    expect(written.status).toBe(201);
    await sleep(500);
    redis.signal('SIGCONT');
    await untilHit();
    const page = await timed('GET', '/todos?limit=5');
    expect((page.body as unknown as { items: TodoDto[] }).items[0].content).toBe(
      'written while redis was frozen',
    );
  });

  it('answered every request, none slower than 1.5 s', () => {
    const statuses = new Map<number, number>();
    for (const s of samples) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
    const slowest = Math.max(...samples.map((s) => s.ms));
    const bypassed = api.views.stats.bypassed;
    process.stdout.write(
      `failover: ${samples.length} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
        `slowest ${slowest.toFixed(0)} ms, ${bypassed} served around the cache\n`,
    );
    expect([...statuses.keys()].every((status) => status === 200 || status === 201)).toBe(true);
    expect(slowest).toBeLessThan(1_500);
    expect(bypassed).toBeGreaterThan(0);
    expect(samples.length).toBeGreaterThan(500);
  });
});
