/** The reminder job: its name on the reminders queue, its payload, its id and its result. */
export const REMIND_JOB = 'remind';

export interface ReminderJobData {
  todo_id: string;
  /** The todo's owner: only they see the job, and the webhook is told whose todo it is. */
  owner_id?: string;
  /** The `remind_at` this job was scheduled for; a todo rescheduled since is left alone. */
  remind_at: string;
}

export interface ReminderJobResult {
  reminded: boolean;
  webhook?: number;
}

/**
 * One reminder job per todo and time. Jobs of other times are left to do nothing, so two
 * updates racing on two processes cannot leave the todo's time without its job.
 */
export const reminderJobId = (todoId: string, remindAt: Date) =>
  `reminder-${todoId}-${remindAt.getTime()}`;
