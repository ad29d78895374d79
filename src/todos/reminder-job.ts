/**
 * One reminder job per owner, todo and time. Jobs of other times are left to do nothing, so
 * two updates racing on two processes cannot leave the todo's time without its job. The
 * owner is part of the id so that a request of another account, whatever todo id and time it
 * names, can only ever reach a job id of its own account, never replace or remove another's.
 */
export const reminderJobId = (ownerId: string, todoId: string, remindAt: Date) =>
  `reminder-${ownerId}-${todoId}-${remindAt.getTime()}`;

/**
 * The id reminders had before it named the owner. Delayed jobs can wait for months, so jobs
 * of this form are still in Redis: they run as they are, and the todo's owner still cancels
 * them, but only once a write filtered by the owner proved the todo theirs (the id alone
 * names no owner).
 */
export const formerReminderJobId = (todoId: string, remindAt: Date) =>
  `reminder-${todoId}-${remindAt.getTime()}`;
