import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { addJob, withinDeadline } from '../queues/producer.js';
import { JOBS, QUEUES, reminderJobId, type ReminderJobData } from '../queues/queues.constants.js';

/**
 * One delayed job per todo (a deterministic id): scheduling replaces it, cancelling removes
 * it. The worker also checks the todo before acting, so a cancel that could not reach Redis
 * only leaves a job that does nothing.
 */
@Injectable()
export class RemindersScheduler {
  private readonly logger = new Logger(RemindersScheduler.name);

  constructor(@InjectQueue(QUEUES.reminders) private readonly queue: Queue<ReminderJobData>) {}

  /** Fails with 503 when Redis is unavailable, so the caller can refuse the change. */
  async schedule(todoId: string, remindAt: Date): Promise<void> {
    const jobId = reminderJobId(todoId);
    await withinDeadline(this.queue.remove(jobId), 'reschedule the reminder');
    await addJob(
      this.queue,
      JOBS.remind,
      { todo_id: todoId, remind_at: remindAt.toISOString() },
      { jobId, delay: Math.max(0, remindAt.getTime() - Date.now()) },
    );
  }

  /** Best effort: a reminder left behind finds its todo changed and does nothing. */
  async cancel(todoId: string): Promise<void> {
    try {
      await withinDeadline(this.queue.remove(reminderJobId(todoId)), 'cancel the reminder');
    } catch (error) {
      this.logger.warn(`could not cancel the reminder of ${todoId}: ${String(error)}`);
    }
  }
}
