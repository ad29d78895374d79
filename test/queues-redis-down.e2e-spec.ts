import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { expectError, startApi, type TestApi } from './support/api.js';
import { PrivateRedis } from './support/redis-server.js';
import { until } from './support/wait.js';

describe('producers when Redis is down (e2e)', () => {
  let redis: PrivateRedis;
  let api: TestApi;
  /** An export accepted while Redis was up, in flight ever since (no worker runs). */
  let inFlight: string;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    api = await startApi('todo_e2e_queues_down', { REDIS_URL: redis.url });
    const accepted = await api.request<{ job_id: string }>('POST', '/todos/exports', {
      json: { format: 'json' },
    });
    expect(accepted.status).toBe(202);
    inFlight = accepted.body.job_id;
  });
  // Each test starts with Redis down, whichever ran before (the last one brings it back).
  beforeEach(async () => {
    await redis.kill();
  });
  afterAll(async () => {
    // BullMQ closes its queues with QUIT, which waits for Redis: let it come back first.
    await redis.restart();
    await api.close();
    await redis.kill();
  });

  const timed = async (run: () => Promise<{ status: number; headers: Headers }>) => {
    const started = performance.now();
    const response = await run();
    return { response, ms: performance.now() - started };
  };

  it('answers an export request with 503 and Retry-After within a second', async () => {
    const { response, ms } = await timed(() =>
      api.request('POST', '/todos/exports', { json: { format: 'csv' } }),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(ms).toBeLessThan(1_500);
  });

  it('refuses a todo with a reminder it cannot schedule, writing nothing', async () => {
    const before = await api.todos.countDocuments();
    const remindAt = new Date(Date.now() + 60_000).toISOString();
    const response = await api.request('POST', '/todos', {
      json: { content: 'x', remind_at: remindAt },
    });
    expectError(response, 503);
    expect(await api.todos.countDocuments()).toBe(before);
  });

  it('refuses a change of reminder it cannot schedule, leaving the todo as it was', async () => {
    const created = await api.request<TodoDto>('POST', '/todos', { json: { content: 'plain' } });
    expect(created.status).toBe(201);
    const remindAt = new Date(Date.now() + 60_000).toISOString();
    const response = await api.request('PATCH', `/todos/${created.body.id}`, {
      json: { content: 'changed', remind_at: remindAt },
    });
    expectError(response, 503);
    const stored = await api.todos.findById(created.body.id).lean().exec();
    expect(stored).toMatchObject({ content: 'plain', remind_at: null });
  });

  it('still serves reads and plain writes from MongoDB', async () => {
    expect((await api.request('POST', '/todos', { json: { content: 'no reminder' } })).status).toBe(
      201,
    );
    expect((await api.request('GET', '/todos')).status).toBe(200);
  });

  it('reports the job view as unavailable, not as a crash', async () => {
    // An export in flight: only its job can tell how far it is.
    expectError(await api.request('GET', `/jobs/exports/${inFlight}`), 503);
    expectError(await api.request('GET', '/jobs/reminders/1'), 503);
  });

  it('takes export requests again once Redis is back, without a restart', async () => {
    await redis.restart();
    const exported = () => api.request('POST', '/todos/exports', { json: { format: 'csv' } });
    const options = { timeoutMs: 5_000, intervalMs: 100, message: 'an export accepted' };
    const { status } = await until(exported, (response) => response.status === 202, options);
    expect(status).toBe(202);
  });
});
