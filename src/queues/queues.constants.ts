/** The queues the API and the worker share; the jobs on each are in `jobs/job-catalogue.ts`. */
export const QUEUES = {
  exports: 'exports',
  reminders: 'reminders',
  maintenance: 'maintenance',
  accounts: 'accounts',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUES);

/** How long a producer waits for Redis before answering 503 (BullMQ's `add` would wait on). */
export const PRODUCER_TIMEOUT_MS = 1_000;
