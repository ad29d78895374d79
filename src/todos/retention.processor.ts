import { Injectable, Logger } from '@nestjs/common';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { AppConfig } from '../config/configuration.js';
import type { MaintenanceResult } from '../jobs/job-catalogue.js';
import { OnJob } from '../jobs/on-job.decorator.js';
import { TodosRepository } from './todos.repository.js';
import { DAY_MS } from '../common/time.js';
import { ExportsExpiry } from '../exports/exports-expiry.service.js';

const BATCH = 1_000;

/**
 * The maintenance job, on a repeatable schedule the worker (re)declares at boot: deletes ended sessions
 * (what a TTL index would do on MongoDB, which FerretDB lacks), expired exports (the exports
 * feature's sweep) and, when RETENTION_DAYS is set, finished todos older than that, in batches.
 */
@Injectable()
export class RetentionProcessor {
  private readonly logger = new Logger(RetentionProcessor.name);

  constructor(
    private readonly todos: TodosRepository,
    private readonly sessions: SessionsRepository,
    private readonly exports: ExportsExpiry,
    private readonly config: AppConfig,
  ) {}

  @OnJob('maintenance.run')
  async process(): Promise<MaintenanceResult> {
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
