import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '../config/configuration.js';
import type { ReminderJobData, ReminderJobResult } from '../jobs/job-catalogue.js';
import { OnJob } from '../jobs/on-job.decorator.js';
import { TodosRepository } from './todos.repository.js';

/**
 * Marks the todo reminded (once) and calls the webhook. A failed webhook call fails the job,
 * which BullMQ retries with backoff; the retry finds `reminded_at` already set and only
 * calls the webhook again, with the same Idempotency-Key.
 */
@Injectable()
export class RemindersProcessor {
  constructor(
    private readonly todos: TodosRepository,
    private readonly config: AppConfig,
  ) {}

  @OnJob('reminders.fire')
  async process(job: Job<ReminderJobData, ReminderJobResult>): Promise<ReminderJobResult> {
    const { todo_id, owner_id, remind_at } = job.data;
    const remindAt = new Date(remind_at);
    // Deleted, finished or rescheduled since: this job's time is not the todo's any more.
    if (!(await this.todos.isDue(todo_id, remindAt))) return { reminded: false };
    await this.todos.markReminded(todo_id, remindAt);

    const url = this.config.reminderWebhookUrl;
    if (!url) return { reminded: true };
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `${job.id}-${remind_at}` },
      // Jobs scheduled before accounts carry no owner.
      body: JSON.stringify({ todo_id, owner_id: owner_id ?? null, remind_at }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    return { reminded: true, webhook: response.status };
  }
}
