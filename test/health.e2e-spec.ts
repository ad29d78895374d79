import { startApi, type TestApi } from './support/api.js';
import { PrivateMongo } from './support/mongo-server.js';
import { PrivateRedis } from './support/redis-server.js';
import { until } from './support/wait.js';

interface HealthBody {
  status: string;
  error: Record<string, unknown>;
}

// First: the suite below points the environment at private stores it kills at the end.
describe('health probes with the cache turned off (e2e)', () => {
  it('is ready: Redis is still probed, through a client connected for it', async () => {
    const api = await startApi('todo_e2e_health_nocache', { CACHE_ENABLED: 'false' });
    try {
      const ready = await api.request<HealthBody>('GET', '/health/ready');
      expect({ status: ready.status, body: ready.body.status }).toEqual({
        status: 200,
        body: 'ok',
      });
    } finally {
      await api.close();
    }
  });
});

describe('health probes when stores fail (e2e)', () => {
  let mongo: PrivateMongo;
  let redis: PrivateRedis;
  let api: TestApi;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([PrivateMongo.start(), PrivateRedis.start()]);
    api = await startApi('todo_e2e_health', {
      MONGODB_URI: mongo.uri('todo_e2e_health'),
      REDIS_URL: redis.url,
    });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([mongo.restart(), redis.restart()]);
    await api.close();
    await Promise.all([mongo.kill(), redis.kill()]);
  });

  const probe = async (path: string) => {
    const started = performance.now();
    const response = await api.request<HealthBody>('GET', path);
    return { status: response.status, body: response.body, ms: performance.now() - started };
  };

  /** Readiness answers 503 naming `failing` within a second, while liveness stays quick. */
  const expectNotReady = async (failing: string) => {
    const ready = await probe('/health/ready');
    expect(ready.status).toBe(503);
    expect(Object.keys(ready.body.error)).toContain(failing);
    expect(ready.ms).toBeLessThan(1_000);
    const live = await probe('/health/live');
    expect(live.status).toBe(200);
    expect(live.ms).toBeLessThan(100);
  };

  const expectReadyAgain = () =>
    until(
      () => probe('/health/ready'),
      (ready) => ready.status === 200,
      { timeoutMs: 10_000, intervalMs: 100, message: 'ready again after the store came back' },
    );

  it('is ready with both stores up', async () => {
    const ready = await probe('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
  });

  it('names mongodb when MongoDB is killed, and recovers without a restart', async () => {
    await mongo.kill();
    await expectNotReady('mongodb');
    await mongo.restart();
    await expectReadyAgain();
  });

  it('names redis when Redis is killed, and recovers without a restart', async () => {
    await redis.kill();
    await expectNotReady('redis');
    await redis.restart();
    await expectReadyAgain();
  });

  it('times out instead of hanging when Redis is frozen', async () => {
    redis.signal('SIGSTOP');
    try {
      await expectNotReady('redis');
    } finally {
      redis.signal('SIGCONT');
    }
    await expectReadyAgain();
  });
});
