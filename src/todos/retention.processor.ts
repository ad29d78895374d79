import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { AppConfig } from '../config/configuration.js';
import { ConfiguredWorkerHost } from '../queues/configured-worker-host.js';
import { QUEUES } from '../queues/queues.constants.js';
import { PURGE_JOB, PURGE_SCHEDULER_ID } from './retention-job.js';
import { TodosRepository } from './todos.repository.js';
import { DAY_MS } from '../common/time.js';

const BATCH = 1_000;

/**
 * The maintenance job, on a repeatable schedule (re)declared at boot: deletes ended sessions
 * (what a TTL index would do on MongoDB, which FerretDB lacks) and, when RETENTION_DAYS is
 * set, finished todos older than that, in batches.
 */
@Processor(QUEUES.maintenance, { autorun: false })
export class RetentionProcessor extends ConfiguredWorkerHost {
  private readonly logger = new Logger(RetentionProcessor.name);

  constructor(
    private readonly todos: TodosRepository,
    private readonly sessions: SessionsRepository,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    config: AppConfig,
  ) {
    super(config);
  }

  override async onApplicationBootstrap(): Promise<void> {
    await super.onApplicationBootstrap();
    await this.queue.upsertJobScheduler(
      PURGE_SCHEDULER_ID,
      { every: this.config.maintenanceIntervalMs },
      { name: PURGE_JOB },
    );
  }

  async process(): Promise<{ deleted: number; sessions_deleted: number }> {
    const sessions = await this.sessions.removeEnded();
    if (sessions > 0) this.logger.log(`deleted ${sessions} ended sessions`);
    const days = this.config.retentionDays;
    if (days === undefined) return { deleted: 0, sessions_deleted: sessions };
    const deleted = await this.todos.removeFinishedBefore(
      new Date(Date.now() - days * DAY_MS),
      BATCH,
    );
    if (deleted > 0) this.logger.log(`deleted ${deleted} finished todos older than ${days} days`);
    return { deleted, sessions_deleted: sessions };
  }
}
