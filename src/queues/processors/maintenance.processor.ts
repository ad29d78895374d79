import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Queue } from 'bullmq';
import { trusted, type Model } from 'mongoose';
import { ResponseCache } from '../../cache/response-cache.service.js';
import { AppConfig } from '../../config/configuration.js';
import { Todo } from '../../todos/todo.schema.js';
import { ConfiguredWorkerHost } from './configured-worker-host.js';
import { JOBS, PURGE_SCHEDULER_ID, QUEUES } from '../queues.constants.js';

const BATCH = 1_000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Deletes finished todos older than RETENTION_DAYS, in batches, on a repeatable schedule.
 * The schedule is (re)declared at boot from the config, and removed when retention is off.
 */
@Processor(QUEUES.maintenance, { autorun: false })
export class MaintenanceProcessor extends ConfiguredWorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    @InjectModel(Todo.name) private readonly todos: Model<Todo>,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    private readonly views: ResponseCache,
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
      { name: JOBS.purgeFinished },
    );
  }

  async process(): Promise<{ deleted: number }> {
    const days = this.config.retentionDays;
    if (days === undefined) return { deleted: 0 };
    const cutoff = new Date(Date.now() - days * DAY_MS);
    let deleted = 0;
    for (;;) {
      const batch = await this.todos
        // Our own operators: trusted, so the global sanitizeFilter leaves them as they are.
        .find({ is_finished: true, finished_at: trusted({ $lt: cutoff }) }, { _id: 1 })
        .limit(BATCH)
        .lean()
        .exec();
      if (batch.length === 0) break;
      const ids = batch.map((t) => t._id);
      const result = await this.todos.deleteMany({ _id: trusted({ $in: ids }) }).exec();
      deleted += result.deletedCount;
    }
    if (deleted > 0) {
      await this.views.invalidate();
      this.logger.log(`deleted ${deleted} finished todos older than ${days} days`);
    }
    return { deleted };
  }
}
