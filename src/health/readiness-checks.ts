import { Injectable } from '@nestjs/common';
import {
  MongooseHealthIndicator,
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { READINESS_REUSE_MS, READINESS_TIMEOUT_MS } from './health.constants.js';
import { QueueIndicator } from './queue.indicator.js';
import { RedisIndicator } from './redis.indicator.js';
import { RecentResult } from './recent-result.js';

/**
 * The stores readiness checks — MongoDB, each Redis, the job queue — each reused for up to a
 * second (`RecentResult`), so probes in any number cost the stores about one round of checks
 * a second. The shutdown check is not here: draining turns readiness 503 at once.
 */
@Injectable()
export class ReadinessChecks {
  readonly checks: readonly HealthIndicatorFunction[];

  constructor(mongoose: MongooseHealthIndicator, redis: RedisIndicator, queue: QueueIndicator) {
    const reused = (run: () => PromiseLike<HealthIndicatorResult>) => {
      const recent = new RecentResult(run, READINESS_REUSE_MS);
      return () => recent.get();
    };
    this.checks = [
      reused(() => mongoose.pingCheck('mongodb', { timeout: READINESS_TIMEOUT_MS })),
      ...redis.keys.map((key) => reused(() => redis.check(key))),
      reused(() => queue.check('queue')),
    ];
  }
}
