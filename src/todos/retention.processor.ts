import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '../config/configuration.js';
import { ConfiguredWorkerHost } from '../queues/configured-worker-host.js';
import { QUEUES } from '../queues/queues.constants.js';
import { PURGE_JOB, PURGE_SCHEDULER_ID } from './retention-job.js';
import { TodosRepository } from './todos.repository.js';

const BATCH = 1_000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Deletes finished todos older than RETENTION_DAYS, in batches, on a repeatable schedule.
 * The schedule is (re)declared at boot from the config, and removed when retention is off.
 */
@Processor(QUEUES.maintenance, { autorun: false })
export class RetentionProcessor extends ConfiguredWorkerHost {
  private readonly logger = new Logger(RetentionProcessor.name);

  constructor(
    private readonly todos: TodosRepository,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    config: AppConfig,
  ) {
    super(config);
  }

  override async onApplicationBootstrap(): Promise<void> {
    await super.onApplicationBootstrap();
    if (this.config.retentionDays === undefined) {
      await this.queue.removeJobScheduler(PURGE_SCHEDULER_ID);
      return;
    }
    await this.queue.upsertJobScheduler(
      PURGE_SCHEDULER_ID,
      { every: this.config.maintenanceIntervalMs },
      { name: PURGE_JOB },
    );
  }

  async process(): Promise<{ deleted: number }> {
    const days = this.config.retentionDays;
    if (days === undefined) return { deleted: 0 };
    const deleted = await this.todos.removeFinishedBefore(
      new Date(Date.now() - days * DAY_MS),
      BATCH,
    );
    if (deleted > 0) this.logger.log(`deleted ${deleted} finished todos older than ${days} days`);
    return { deleted };
  }
}
