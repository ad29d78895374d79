import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis.module.js';
import { AppConfig } from '../config/configuration.js';
import { READINESS_TIMEOUT_MS } from './health.constants.js';

/** Readiness of Redis: writes a probe key and reads it back (a PING would pass a read-only replica). */
@Injectable()
export class RedisIndicator {
  private readonly probeKey: string;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly client: RedisClient,
    config: AppConfig,
  ) {
    this.probeKey = `${config.cacheKeyPrefix}:health:${randomBytes(6).toString('hex')}`;
  }

  check(key: 'redis') {
    return this.health
      .check(key)
      .attempt(async () => {
        const value = randomBytes(6).toString('hex');
        // One transaction, so concurrent probes cannot read each other's value back.
        const [, read]: unknown[] = await this.client
          .multi()
          .set(this.probeKey, value, { expiration: { type: 'PX', value: 10_000 } })
          .get(this.probeKey)
          .exec();
        if (read !== value) throw new Error('probe key read back wrong');
      })
      .withTimeout(READINESS_TIMEOUT_MS);
  }
}
