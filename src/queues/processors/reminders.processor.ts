import { Processor } from '@nestjs/bullmq';
import { InjectModel } from '@nestjs/mongoose';
import type { Job } from 'bullmq';
import type { Model } from 'mongoose';
import { ResponseCache } from '../../cache/response-cache.service.js';
import { AppConfig } from '../../config/configuration.js';
import { Todo } from '../../todos/todo.schema.js';
import { ConfiguredWorkerHost } from './configured-worker-host.js';
import { QUEUES, type ReminderJobData } from '../queues.constants.js';

export interface ReminderResult {
  reminded: boolean;
  webhook?: number;
}

/**
 * Marks the todo reminded (once) and calls the webhook. A failed webhook call fails the job,
 * which BullMQ retries with backoff; the retry finds `reminded_at` already set and only
 * calls the webhook again, with the same Idempotency-Key.
 */
@Processor(QUEUES.reminders, { autorun: false })
export class RemindersProcessor extends ConfiguredWorkerHost {
  constructor(
    @InjectModel(Todo.name) private readonly todos: Model<Todo>,
    private readonly views: ResponseCache,
    config: AppConfig,
  ) {
    super(config);
  }

  async process(job: Job<ReminderJobData>): Promise<ReminderResult> {
    const { todo_id, remind_at } = job.data;
    const due = { _id: todo_id, remind_at: new Date(remind_at), is_finished: false };
    const exists = await this.todos.exists(due).exec();
    if (!exists) return { reminded: false }; // deleted, finished or rescheduled since

    const marked = await this.todos
      .updateOne({ ...due, reminded_at: null }, { $set: { reminded_at: new Date() } })
      .exec();
    if (marked.modifiedCount > 0) await this.views.invalidate();

    const url = this.config.reminderWebhookUrl;
    if (!url) return { reminded: true };
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `${job.id}-${remind_at}` },
      body: JSON.stringify({ todo_id, remind_at }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    return { reminded: true, webhook: response.status };
  }
}
