import { Redis } from 'ioredis';
import { send, startApi, type TestApi } from './support/api.js';
import { signIn } from './support/auth.js';
import { spawnApi, type SpawnedApi } from './support/spawned-api.js';

const DATABASE = 'todo_e2e_rate_limit';
const LIMIT = { RATE_LIMIT_MAX: '10', RATE_LIMIT_WINDOW_MS: '60000' };

describe('rate limit (e2e)', () => {
  const prefix = `${DATABASE}_${Date.now()}`;
  let api: TestApi;
  let other: SpawnedApi;
  let proxied: SpawnedApi;

  beforeAll(async () => {
    api = await startApi(DATABASE, { ...LIMIT, CACHE_KEY_PREFIX: prefix });
    other = await spawnApi(DATABASE, { ...LIMIT, CACHE_KEY_PREFIX: prefix });
    proxied = await spawnApi(DATABASE, {
      ...LIMIT,
      CACHE_KEY_PREFIX: `${prefix}_proxied`,
      TRUST_PROXY: '127.0.0.1',
    });
  });
  afterAll(async () => {
    await Promise.all([other.stop(), proxied.stop()]);
    await api.close();
  });
  // Each test starts with no request counted, whichever ran before.
  beforeEach(async () => {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const counters = await redis.keys(`${prefix}*:rate-limit:*`);
      if (counters.length > 0) await redis.del(...counters);
    } finally {
      redis.disconnect();
    }
  });

  it('holds across two API processes, answering 429 with Retry-After past it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await send(i % 2 ? other.url : api.url, 'GET', '/todos');
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(response.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      }
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  // The limit is installed after Nest's application exists and before it adds its routes:
  // every kind of route it adds is covered, not only the cached list.
  it('covers every route Nest serves: writes, the original routes, jobs', async () => {
    for (let i = 0; i < 10; i++) expect((await send(api.url, 'GET', '/todos')).status).toBe(200);
    const limited = [
      await send(api.url, 'POST', '/todos', { json: { content: 'over the limit' } }),
      await send(api.url, 'GET', '/todo'),
      await send(api.url, 'POST', '/todos/exports', { json: {} }),
      await send(api.url, 'GET', '/jobs/exports/1'),
    ];
    expect(limited.map((response) => response.status)).toEqual([429, 429, 429, 429]);
  });

  it('counts per owner: one owner over the limit leaves another from the same address alone', async () => {
    for (let i = 0; i < 10; i++) expect((await send(api.url, 'GET', '/todos')).status).toBe(200);
    expect((await send(api.url, 'GET', '/todos')).status).toBe(429);
    const someoneElse = await signIn(api.url);
    expect((await send(api.url, 'GET', '/todos', { token: someoneElse })).status).toBe(200);
  });

  // Requests without a valid token (logins, registrations, refused calls) count per address.
  const anonymous = (url: string, address?: string) =>
    send(url, 'GET', '/todos', {
      token: null,
      headers: address === undefined ? {} : { 'x-forwarded-for': address },
    });

  it('is not escaped with a spoofed X-Forwarded-For when no proxy is trusted', async () => {
    for (let i = 0; i < 10; i++) expect((await anonymous(api.url)).status).toBe(401);
    expect((await anonymous(api.url, '203.0.113.7')).status).toBe(429);
  });

  it('keys by the forwarded client address when the proxy is trusted', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await anonymous(proxied.url, '203.0.113.7')).status).toBe(401);
    }
    expect((await anonymous(proxied.url, '203.0.113.7')).status).toBe(429);
    expect((await anonymous(proxied.url, '203.0.113.8')).status).toBe(401);
  });

  it('counts /auth/* per address whatever token is sent: a fresh account buys no allowance', async () => {
    const login = (token: string | null) =>
      send<{ message: string }>(api.url, 'POST', '/auth/login', {
        json: { email: 'nobody@example.com', password: 'not a password at all' },
        token,
      });
    // Two accounts, each with an allowance of its own outside /auth/*: four requests of ten.
    const accounts = [await signIn(other.url), await signIn(other.url)];
    for (let i = 0; i < 6; i++) expect((await login(null)).status).toBe(401);
    const spent = [await login(null), ...(await Promise.all(accounts.map(login)))];
    for (const answer of spent) {
      expect(answer.status).toBe(429);
      expect(answer.body.message).toMatch(/^rate limit exceeded/);
    }
    expect((await send(api.url, 'GET', '/todos', { token: accounts[0] })).status).toBe(200);
  });

  // Past the limit on each path, and nothing counted against the caller's allowance after.
  // Readiness may honestly answer 503 on a loaded machine (a store slower than its 800 ms):
  // that is the health check's answer, with its report, never the limit's.
  it('never limits probes, metrics or docs', async () => {
    const paths = ['/health/live', '/health/ready', '/metrics', '/docs-json'];
    for (const path of paths) {
      for (let i = 0; i < 12; i++) {
        const response = await send<{ status?: string; message?: string }>(api.url, 'GET', path);
        expect(response.status).not.toBe(429);
        if (path === '/health/ready' && response.status === 503) {
          // The health check's own 503 (with its Retry-After), not the limit's.
          expect(response.body.status).toBe('error');
          expect(response.body.message).toBeUndefined();
        } else {
          expect(response.status).toBe(200);
          expect(response.headers.get('retry-after')).toBeNull();
        }
      }
    }
    expect((await send(api.url, 'GET', '/todos')).status).toBe(200);
  });
});
