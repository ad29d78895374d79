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
 * The stores readiness checks — MongoDB, each Redis, the job queue — run together as one
 * round, reused for up to a second (`RecentResult`): probes in any number cost the stores
 * about one round a second, and every answer reports one moment. The shutdown check is not
 * here: draining turns readiness 503 at once.
 */
@Injectable()
export class ReadinessChecks {
  readonly checks: readonly HealthIndicatorFunction[];

  constructor(mongoose: MongooseHealthIndicator, redis: RedisIndicator, queue: QueueIndicator) {
    const runs: (() => PromiseLike<HealthIndicatorResult>)[] = [
      () => mongoose.pingCheck('mongodb', { timeout: READINESS_TIMEOUT_MS }),
      ...redis.keys.map((key) => () => redis.check(key)),
      () => queue.check('queue'),
    ];
    const round = new RecentResult(
      () => Promise.allSettled(runs.map((run) => Promise.resolve(run()))),
      READINESS_REUSE_MS,
    );
    this.checks = runs.map((_, i) => async () => {
      const result = (await round.get())[i];
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });
  }
}
