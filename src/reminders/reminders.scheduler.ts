import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { addJob, withinDeadline } from '../queues/producer.js';
import { QUEUES } from '../queues/queues.constants.js';
import { REMIND_JOB, reminderJobId, type ReminderJobData } from './reminder-job.js';

/**
 * One delayed job per todo and reminder time (a deterministic id). Each call touches only the
 * job of one time, never "the todo's job", so calls racing on two API processes cannot cancel
 * or shadow each other's job: a job whose time the todo no longer has finds it so in the
 * worker and does nothing. The worker checks the todo before acting for the same reason, so a
 * cancel that could not reach Redis only leaves a job that does nothing.
 */
@Injectable()
export class RemindersScheduler {
  private readonly logger = new Logger(RemindersScheduler.name);

  constructor(@InjectQueue(QUEUES.reminders) private readonly queue: Queue<ReminderJobData>) {}

  /** Fails with 503 when Redis is unavailable, so the caller can refuse the change. */
  async schedule(ownerId: string, todoId: string, remindAt: Date): Promise<void> {
    const jobId = reminderJobId(todoId, remindAt);
    // A finished job of the same time is kept for a day; it would make `add` a no-op.
    await withinDeadline(this.queue.remove(jobId), 'reschedule the reminder');
    await addJob(
      this.queue,
      REMIND_JOB,
      { todo_id: todoId, owner_id: ownerId, remind_at: remindAt.toISOString() },
      { jobId, delay: Math.max(0, remindAt.getTime() - Date.now()) },
    );
  }

  /** Best effort: a reminder left behind finds its todo changed and does nothing. */
  async cancel(todoId: string, remindAt: Date | null | undefined): Promise<void> {
    if (!remindAt) return;
    try {
      const jobId = reminderJobId(todoId, remindAt);
      await withinDeadline(this.queue.remove(jobId), 'cancel the reminder');
    } catch (error) {
      this.logger.warn(`could not cancel the reminder of ${todoId}: ${String(error)}`);
    }
  }
}
