import { ConfigError, loadConfig } from './configuration.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      mongodbUri: 'mongodb://127.0.0.1:27017/todo',
      redisUrl: 'redis://127.0.0.1:6379',
      mongodbAutoIndex: true,
      workerHealthPort: 3001,
      workerMaxStalledCount: 3,
      mongodbTimeouts: {
        serverSelectionTimeoutMS: 3_000,
        connectTimeoutMS: 2_000,
        heartbeatFrequencyMS: 2_000,
        socketTimeoutMS: 10_000,
      },
    });
  });

  it('reads TRUST_PROXY as Fastify takes it, and PUBLIC_URL without a trailing slash', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
    ]);
    expect(loadConfig({ PUBLIC_URL: 'https://todo.example.com/' }).publicUrl).toBe(
      'https://todo.example.com',
    );
  });

  it('turns index building off by default in production, and lets it be forced', () => {
    // Production wants a cursor secret of its own (secrets.spec.ts).
    const production = {
      NODE_ENV: 'production',
      CURSOR_SECRET: 'k3Jq9vX2mB7nR4tW8yZ1cF6hL0pS5dG3',
    };
    expect(loadConfig(production).mongodbAutoIndex).toBe(false);
    expect(loadConfig({ ...production, MONGODB_AUTO_INDEX: 'true' }).mongodbAutoIndex).toBe(true);
  });

  // Values that are no secret, and URIs without credentials, are shown as they were.
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['MONGODB_URI', 'http://localhost'],
    ['REDIS_URL', 'localhost:6379'],
    ['LOG_LEVEL', 'loud'],
    ['CACHE_TTL_SECONDS', '0'],
    ['CORS_ORIGINS', 'https://app.example.com/'],
    ['CORS_ORIGINS', 'https://a.example.com,app.example.com'],
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'ftp://files.example.com'],
    ['MONGODB_SERVER_SELECTION_TIMEOUT_MS', '0'],
    ['MONGODB_HEARTBEAT_MS', '100'],
    // Fastify 5 trusts no proxy for a hop count: it would turn X-Forwarded-* off unnoticed.
    ['TRUST_PROXY', '1'],
    ['PUBLIC_URL', 'todo.example.com'],
    ['PUBLIC_URL', 'ftp://todo.example.com'],
  ])('refuses %s=%s with one line that names the variable', (name, value) => {
    const attempt = () => loadConfig({ [name]: value });
    expect(attempt).toThrow(ConfigError);
    const quoted = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(attempt).toThrow(
      new RegExp(`^Invalid configuration: ${name}: .*\\(got "${quoted}"\\)$`),
    );
  });

  it('allows no cross-origin caller by default, and the listed origins when set', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(
      loadConfig({ CORS_ORIGINS: ' https://app.example.com, http://localhost:5173 ,' }).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', ADMIN_USER: '', ADMIN_PASSWORD: '' })).toMatchObject({
      port: 3000,
      admin: undefined,
    });
  });

  it('wants the admin user and password together', () => {
    expect(() => loadConfig({ ADMIN_USER: 'admin' })).toThrow(
      /ADMIN_PASSWORD: set ADMIN_USER and ADMIN_PASSWORD together/,
    );
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT: .*; LOG_LEVEL: /);
  });
});

// Cache memory
describe('loadConfig: cache memory', () => {
  it('puts the cache on REDIS_URL unless CACHE_REDIS_URL names its own, with byte caps', () => {
    expect(loadConfig({ REDIS_URL: 'redis://queues:6379' })).toMatchObject({
      redisUrl: 'redis://queues:6379',
      cacheRedisUrl: 'redis://queues:6379',
      cacheMaxBodyBytes: 262_144,
      cacheProcessMaxBytes: 33_554_432,
    });
    expect(loadConfig({ CACHE_REDIS_URL: 'redis://cache:6379' }).cacheRedisUrl).toBe(
      'redis://cache:6379',
    );
  });

  it('refuses a CACHE_REDIS_URL that is not a Redis URL, and a body cap under 1 KiB', () => {
    expect(() => loadConfig({ CACHE_REDIS_URL: 'http://cache' })).toThrow(/CACHE_REDIS_URL: /);
    expect(() => loadConfig({ CACHE_MAX_BODY_BYTES: '10' })).toThrow(/CACHE_MAX_BODY_BYTES: /);
  });
});
