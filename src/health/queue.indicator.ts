import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Queue } from 'bullmq';
import { QUEUES } from '../queues/queues.constants.js';
import { READINESS_TIMEOUT_MS } from './health.constants.js';

/** Readiness of the BullMQ connection (its own client, apart from the cache's). */
@Injectable()
export class QueueIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @InjectQueue(QUEUES.exports) private readonly queue: Queue,
  ) {}

  check(key: 'queue') {
    return this.health
      .check(key)
      .attempt(async () => {
        await this.queue.count(); // a real BullMQ command over its own connection
      })
      .withTimeout(READINESS_TIMEOUT_MS);
  }
}
