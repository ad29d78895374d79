import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';
import { DAY_MS } from '../common/time.js';
import type { AccountDeletionJobData } from '../jobs/job-catalogue.js';
import { OnAccountDeleted, OnMaintenance } from '../jobs/job-steps.js';
import { TodosRepository } from './todos.repository.js';

const BATCH = 1_000;

/**
 * The todos' part of the maintenance job (finished todos older than RETENTION_DAYS, when it
 * is set) and of deleting an account (its todos), in batches.
 */
@Injectable()
export class RetentionProcessor {
  private readonly logger = new Logger(RetentionProcessor.name);

  constructor(
    private readonly todos: TodosRepository,
    private readonly config: AppConfig,
  ) {}

  @OnMaintenance(30)
  async removeFinished(): Promise<{ deleted: number }> {
    const days = this.config.retentionDays;
    if (days === undefined) return { deleted: 0 };
    const deleted = await this.todos.removeFinishedBefore(
      new Date(Date.now() - days * DAY_MS),
      BATCH,
    );
    if (deleted > 0) this.logger.log(`deleted ${deleted} finished todos older than ${days} days`);
    return { deleted };
  }

  @OnAccountDeleted(40)
  async accountDeleted({ owner_id }: AccountDeletionJobData): Promise<{ todos: number }> {
    return { todos: await this.todos.removeOwnedBy(owner_id, BATCH) };
  }
}
