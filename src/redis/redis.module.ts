import { createClient } from '@keyv/redis';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/configuration.js';

/** Injection token of the shared node-redis client. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Injection token of the rate limit's ioredis connection (the API's only). */
export const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

export type RedisClient = ReturnType<typeof createClient>;

/**
 * The node-redis client of the response cache's store and of the readiness probe. `disableOfflineQueue` makes commands fail at once while
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
 * The process's Redis connections and where they come from: the node-redis client that the
 * response cache's store and the readiness probe share, the rate limit's ioredis connection,
 * and the ioredis options BullMQ's connections are made from (`redisOptions`). Owned here, so
 * health and the rate limit need not reach into the cache for one. The response cache
 * connects the shared client at boot (it watches the client's errors to turn itself off and
 * on); both are closed here, last, on shutdown.
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
      provide: RATE_LIMIT_REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createRateLimitRedis(config.redisUrl),
    },
  ],
  exports: [REDIS_CLIENT, RATE_LIMIT_REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly client: RedisClient,
    @Inject(RATE_LIMIT_REDIS) private readonly rateLimitRedis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.rateLimitRedis.disconnect();
    // The cache manager may have closed it already, when it closed its store.
    if (this.client.isOpen) await this.client.close();
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
