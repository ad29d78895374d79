/** The queues the API and the worker share; the jobs on each are in `jobs/job-catalogue.ts`. */
export const QUEUES = {
  exports: 'exports',
  reminders: 'reminders',
  maintenance: 'maintenance',
  accounts: 'accounts',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUES);
