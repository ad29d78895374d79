import { z } from 'zod';
import { port } from './env-values.js';

/** The worker and its queues: concurrency, crash recovery, retries, maintenance, reminders, exports. */
export const jobsEnv = {
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  WORKER_HEALTH_PORT: port.default(3001),
  /** How long a job may run without renewing its lock before it counts as stalled (crashed worker). */
  WORKER_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -')
    .default('todo-service'),
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  JOB_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(1_000),
  /** Finished todos older than this many days are deleted by the maintenance job; unset: never. */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
  MAINTENANCE_INTERVAL_MS: z.coerce.number().int().min(1_000).default(3_600_000),
  REMINDER_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** How many times a job may be taken over from a crashed worker before it is failed. */
  WORKER_MAX_STALLED_COUNT: z.coerce.number().int().min(0).max(100).default(3),
  /** How long a finished export's file is kept; fractions allowed (tests use seconds). */
  EXPORT_TTL_HOURS: z.coerce.number().min(0.0001).max(8_760).default(24),
  /** Exports of one owner waiting or running at once; one more is a 429. */
  EXPORT_MAX_RUNNING: z.coerce.number().int().min(1).max(100).default(3),
  /** Exports of one owner kept (in flight or finished, not expired); one more is a 409. */
  EXPORT_MAX_KEPT: z.coerce.number().int().min(1).max(1_000).default(20),
  /** Completed export jobs BullMQ keeps in Redis (the records in MongoDB outlive them). */
  EXPORT_JOBS_KEPT: z.coerce.number().int().min(1).max(100_000).default(1_000),
};
