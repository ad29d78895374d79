import { createClient } from '@keyv/redis';
import {
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/configuration.js';

/**
 * Injection token of the node-redis client on REDIS_URL, which never evicts: locks,
 * idempotency records, throttles and the readiness probe.
 */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * Injection token of the response cache's node-redis client, on CACHE_REDIS_URL: views,
 * generations, the epoch and credential entries, all of which may be evicted. The same client
 * as `REDIS_CLIENT` when both URLs are one.
 */
export const CACHE_REDIS_CLIENT = Symbol('CACHE_REDIS_CLIENT');

/** Injection token of the rate limit's ioredis connection (the API's only). */
export const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

export type RedisClient = ReturnType<typeof createClient>;

/** How long the boot waits for REDIS_URL's client before going on without it (not fatal). */
const CONNECT_WAIT_MS = 1_000;

/**
 * A node-redis client. `disableOfflineQueue` makes commands fail at once while
 * the connection is down instead of queueing (and hanging the request) until it returns; the
 * reconnect backoff is capped at a second so caching resumes soon after Redis does.
 */
function createRedisClient(url: string): RedisClient {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 1_000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000),
    },
  });
}

/**
 * The rate limit's connection. ioredis, because `@fastify/rate-limit`'s Redis store is
 * written against its API. A request must not wait on it: no offline queue, one retry, a
 * quarter-second deadline; the store lets the request through when it fails. Lazy, so the
 * worker, which builds this module too, never opens it: the rate limit connects it.
 */
function createRateLimitRedis(url: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    commandTimeout: 250,
  });
  redis.on('error', () => undefined); // reported by the readiness probe, not per request
  return redis;
}

/**
 * The process's Redis connections and where they come from: the node-redis client on
 * REDIS_URL, the cache's (its own when CACHE_REDIS_URL differs), the rate limit's ioredis
 * connection, and the ioredis options BullMQ's connections are made from (`redisOptions`).
 * Owned here, so health and the rate limit need not reach into the cache for one. The
 * response cache connects its client at boot (it watches the client's errors to turn itself
 * off and on); REDIS_URL's own client, when apart, is connected here. All are closed here,
 * last, on shutdown.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createRedisClient(config.redisUrl),
    },
    {
      provide: CACHE_REDIS_CLIENT,
      inject: [AppConfig, REDIS_CLIENT],
      useFactory: (config: AppConfig, client: RedisClient) =>
        config.cacheRedisUrl === config.redisUrl ? client : createRedisClient(config.cacheRedisUrl),
    },
    {
      provide: RATE_LIMIT_REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createRateLimitRedis(config.redisUrl),
    },
  ],
  exports: [REDIS_CLIENT, CACHE_REDIS_CLIENT, RATE_LIMIT_REDIS],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly client: RedisClient,
    @Inject(CACHE_REDIS_CLIENT) private readonly cacheClient: RedisClient,
    @Inject(RATE_LIMIT_REDIS) private readonly rateLimitRedis: Redis,
  ) {}

  /** REDIS_URL's client, when the cache's is another: connected at boot, a Redis down not fatal. */
  async onModuleInit(): Promise<void> {
    if (this.client === this.cacheClient) return;
    // Without a listener an error event would end the process; readiness reports the outage.
    this.client.on('error', () => undefined);
    const connecting = this.client.connect().then(() => undefined);
    connecting.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, CONNECT_WAIT_MS)));
    await Promise.race([connecting, waited]).finally(() => clearTimeout(timer));
  }

  async onApplicationShutdown(): Promise<void> {
    this.rateLimitRedis.disconnect();
    // The cache manager may have closed the cache's already, when it closed its store.
    for (const client of new Set([this.client, this.cacheClient])) {
      if (client.isOpen) await client.close();
    }
  }
}

/** ioredis options from a redis:// or rediss:// URL. */
export function redisOptions(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}
