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

  /**
   * Readiness answers 503 naming `failing`, each answer within a second, while liveness stays
   * quick. A check's result is reused for up to a second after it was taken, so the failure
   * shows from the first check after it: within about two seconds.
   */
  const expectNotReady = async (failing: string) => {
    const ready = await until(
      async () => {
        const answer = await probe('/health/ready');
        expect(answer.ms).toBeLessThan(1_000);
        return answer;
      },
      (answer) => answer.status === 503,
      { timeoutMs: 2_500, intervalMs: 100, message: `readiness failing on ${failing}` },
    );
    expect(Object.keys(ready.body.error)).toContain(failing);
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

// Readiness reuse and the cache's own Redis.
describe('readiness with the cache on a Redis of its own (e2e)', () => {
  let cacheRedis: PrivateRedis;
  let redis: Awaited<ReturnType<PrivateRedis['client']>>;
  let api: TestApi;

  beforeAll(async () => {
    cacheRedis = await PrivateRedis.startEvicting('16mb');
    redis = await cacheRedis.client();
    api = await startApi('todo_e2e_health_reuse', { CACHE_REDIS_URL: cacheRedis.url });
  }, 60_000);
  afterAll(async () => {
    await cacheRedis.restart();
    await redis.close();
    await api.close();
    await cacheRedis.kill();
  });

  /** Readiness checks of the cache's Redis so far: its only MULTI/EXEC is the probe's. */
  const checks = async () => {
    const line = /^cmdstat_exec:calls=(\d+)/m.exec(await redis.info('commandstats'));
    return Number(line?.[1] ?? 0);
  };
  const ready = () => api.request<HealthBody>('GET', '/health/ready', { token: null });

  it('probes both Redis servers, and one check answers concurrent and rapid probes', async () => {
    const first = await ready();
    expect(first.status).toBe(200);
    const { info } = first.body as HealthBody & { info: Record<string, { status: string }> };
    expect(info).toMatchObject({ redis: { status: 'up' }, cache_redis: { status: 'up' } });
    await redis.configResetStat();

    const concurrent = await Promise.all(Array.from({ length: 50 }, ready));
    expect(concurrent.every((answer) => answer.status === 200)).toBe(true);
    expect(await checks()).toBeLessThanOrEqual(2);

    await redis.configResetStat();
    const started = performance.now();
    for (let i = 0; i < 50; i++) expect((await ready()).status).toBe(200);
    const seconds = (performance.now() - started) / 1_000;
    // A result serves the probes of the second after it: about one check a second.
    expect(await checks()).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });

  it("stays ready when the cache's Redis is killed, reporting it, and serves reads from MongoDB", async () => {
    await cacheRedis.kill();
    const reported = await until(
      ready,
      (answer) =>
        (answer.body as { info?: Record<string, { reachable?: boolean }> }).info?.cache_redis
          ?.reachable === false,
      { timeoutMs: 2_500, intervalMs: 100, message: 'readiness reporting cache_redis away' },
    );
    expect(reported.status).toBe(200);
    const list = await api.request('GET', '/todos');
    expect(list.status).toBe(200);
    await cacheRedis.restart();
    await until(
      ready,
      (answer) =>
        (answer.body as { info?: Record<string, { status: string; reachable?: boolean }> }).info
          ?.cache_redis?.reachable === undefined,
      { timeoutMs: 10_000, intervalMs: 100, message: 'cache_redis reachable again' },
    );
  });
});
