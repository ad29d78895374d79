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
import { ExportsExpiry, type ExportsSweep } from '../exports/exports-expiry.service.js';

const BATCH = 1_000;

/**
 * The maintenance job, on a repeatable schedule (re)declared at boot: deletes ended sessions
 * (what a TTL index would do on MongoDB, which FerretDB lacks), expired exports (the exports
 * feature's sweep) and, when RETENTION_DAYS is set, finished todos older than that, in batches.
 */
@Processor(QUEUES.maintenance, { autorun: false })
export class RetentionProcessor extends ConfiguredWorkerHost {
  private readonly logger = new Logger(RetentionProcessor.name);

  constructor(
    private readonly todos: TodosRepository,
    private readonly sessions: SessionsRepository,
    private readonly exports: ExportsExpiry,
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

  async process(): Promise<{ deleted: number; sessions_deleted: number; exports: ExportsSweep }> {
    const sessions = await this.sessions.removeEnded();
    if (sessions > 0) this.logger.log(`deleted ${sessions} ended sessions`);
    const exports = await this.exports.sweep();
    if (exports.expired > 0) this.logger.log(`expired ${exports.expired} exports`);
    const days = this.config.retentionDays;
    if (days === undefined) return { deleted: 0, sessions_deleted: sessions, exports };
    const deleted = await this.todos.removeFinishedBefore(
      new Date(Date.now() - days * DAY_MS),
      BATCH,
    );
    if (deleted > 0) this.logger.log(`deleted ${deleted} finished todos older than ${days} days`);
    return { deleted, sessions_deleted: sessions, exports };
  }
}
