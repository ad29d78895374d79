import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CACHE_REDIS_CLIENT, REDIS_CLIENT, type RedisClient } from '../redis/redis.module.js';
import { AppConfig } from '../config/configuration.js';
import { READINESS_TIMEOUT_MS } from './health.constants.js';

/** The readiness keys of the Redis servers: the cache's only when it has its own. */
export type RedisCheckKey = 'redis' | 'cache_redis';

/**
 * Readiness of Redis: writes a probe key and reads it back (a PING would pass a read-only
 * replica), on REDIS_URL and, when the cache lives apart, on CACHE_REDIS_URL too (reported
 * only: see `check`).
 */
@Injectable()
export class RedisIndicator {
  private readonly probeKey: string;
  private readonly clients: ReadonlyMap<RedisCheckKey, RedisClient>;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(REDIS_CLIENT) client: RedisClient,
    @Inject(CACHE_REDIS_CLIENT) cacheClient: RedisClient,
    config: AppConfig,
  ) {
    this.probeKey = `${config.cacheKeyPrefix}:health:${randomBytes(6).toString('hex')}`;
    const clients = new Map<RedisCheckKey, RedisClient>([['redis', client]]);
    if (cacheClient !== client) clients.set('cache_redis', cacheClient);
    this.clients = clients;
  }

  /** The keys this process checks. */
  get keys(): RedisCheckKey[] {
    return [...this.clients.keys()];
  }

  /**
   * The cache's own Redis is reported but never fails readiness: without it requests are
   * served from MongoDB, and a cache outage must not take every API process out of service.
   */
  async check(key: RedisCheckKey) {
    const result = await this.probe(key);
    if (key !== 'cache_redis' || result[key]?.status !== 'down') return result;
    return this.health.check(key).up({ reachable: false, served_from: 'mongodb' });
  }

  private probe(key: RedisCheckKey) {
    const client = this.clients.get(key);
    return this.health
      .check(key)
      .attempt(async () => {
        if (client === undefined) throw new Error(`no Redis client for ${key}`);
        const value = randomBytes(6).toString('hex');
        // One transaction, so concurrent probes cannot read each other's value back.
        const [, read]: unknown[] = await client
          .multi()
          .set(this.probeKey, value, { expiration: { type: 'PX', value: 10_000 } })
          .get(this.probeKey)
          .exec();
        if (read !== value) throw new Error('probe key read back wrong');
      })
      .withTimeout(READINESS_TIMEOUT_MS);
  }
}
