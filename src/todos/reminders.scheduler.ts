import { Injectable, Logger } from '@nestjs/common';
import { JobsProducer } from '../jobs/jobs.producer.js';
import { withinDeadline } from '../redis/within-deadline.js';
import { formerReminderJobId, reminderJobId } from './reminder-job.js';

/**
 * One delayed job per owner, todo and reminder time (a deterministic id). Each call touches
 * only the jobs of one time, never "the todo's job", so calls racing on two API processes
 * cannot cancel or shadow each other's job: a job whose time the todo no longer has finds it
 * so in the worker and does nothing. The worker checks the todo before acting for the same
 * reason, so a cancel that could not reach Redis only leaves a job that does nothing.
 *
 * Both calls also remove the job of the time in its id form from before ids named the owner,
 * so they are only for a todo the owner is known to hold: a new one, one an owner-filtered
 * read found, or one an owner-filtered write changed.
 */
@Injectable()
export class RemindersScheduler {
  private readonly logger = new Logger(RemindersScheduler.name);

  constructor(private readonly jobs: JobsProducer) {}

  /** Fails with 503 when Redis is unavailable, so the caller can refuse the change. */
  async schedule(ownerId: string, todoId: string, remindAt: Date): Promise<void> {
    const jobId = reminderJobId(ownerId, todoId, remindAt);
    // A finished job of the same time is kept for a day; it would make `add` a no-op. A job
    // of the time in the old id form would fire beside the new one: it goes too.
    await withinDeadline(this.removeBoth(ownerId, todoId, remindAt), 'reschedule the reminder');
    await this.jobs.enqueue(
      'reminders.fire',
      { todo_id: todoId, owner_id: ownerId, remind_at: remindAt.toISOString() },
      { jobId, delay: Math.max(0, remindAt.getTime() - Date.now()) },
    );
  }

  /** Best effort: a reminder left behind finds its todo changed and does nothing. */
  async cancel(ownerId: string, todoId: string, remindAt: Date | null | undefined): Promise<void> {
    if (!remindAt) return;
    try {
      await withinDeadline(this.removeBoth(ownerId, todoId, remindAt), 'cancel the reminder');
    } catch (error) {
      this.logger.warn(`could not cancel the reminder of ${todoId}: ${String(error)}`);
    }
  }

  private async removeBoth(ownerId: string, todoId: string, remindAt: Date): Promise<void> {
    await Promise.all([
      this.jobs.remove('reminders.fire', reminderJobId(ownerId, todoId, remindAt)),
      this.jobs.remove('reminders.fire', formerReminderJobId(todoId, remindAt)),
    ]);
  }
}
