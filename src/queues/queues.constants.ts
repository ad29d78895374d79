/** Queue names, job names and job payloads: the contract between the API and the worker. */
export const QUEUES = {
  exports: 'exports',
  reminders: 'reminders',
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUES);

export const JOBS = {
  export: 'export',
  remind: 'remind',
  purgeFinished: 'purge-finished',
} as const;

export type ExportFormat = 'json' | 'csv';

export interface ExportJobData {
  format: ExportFormat;
  /** Only finished (true) or unfinished (false) todos; all when absent. */
  finished?: boolean;
}

export interface ExportJobResult {
  file_id: string;
  filename: string;
  content_type: string;
  count: number;
  bytes: number;
}

export interface ReminderJobData {
  todo_id: string;
  /** The `remind_at` this job was scheduled for; a todo rescheduled since is left alone. */
  remind_at: string;
}

/**
 * One reminder job per todo and time. Jobs of other times are left to do nothing, so two
 * updates racing on two processes cannot leave the todo's time without its job.
 */
export const reminderJobId = (todoId: string, remindAt: Date) =>
  `reminder-${todoId}-${remindAt.getTime()}`;

/** The scheduler id of the repeatable retention job. */
export const PURGE_SCHEDULER_ID = 'purge-finished';

/** How long a producer waits for Redis before answering 503 (BullMQ's `add` would wait on). */
export const PRODUCER_TIMEOUT_MS = 1_000;
