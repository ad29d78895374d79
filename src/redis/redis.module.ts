import { createClient } from '@keyv/redis';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';

/** Injection token of the shared node-redis client. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

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
 * The process's Redis connections and where they come from: the node-redis client that the
 * response cache's store and the readiness probe share, and the ioredis options BullMQ's
 * connections are made from (`redisOptions`). Owned here, so health need not reach into the
 * cache for it. The response cache connects the client at boot (it watches the client's
 * errors to turn itself off and on); it is closed here, last, on shutdown.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createRedisClient(config.redisUrl),
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
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
