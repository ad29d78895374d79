import type { Scope } from '../auth/scopes.js';

/** The queues the API and the worker share; each feature keeps its job's name and payload. */
export const QUEUES = {
  exports: 'exports',
  reminders: 'reminders',
  maintenance: 'maintenance',
  accounts: 'accounts',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUES);

/**
 * The scope a personal access token needs to read a job's status: its queue's. The accounts
 * queue's jobs delete accounts, whose tokens are gone by then; it needs one all the same.
 */
const QUEUE_SCOPES: Record<QueueName, Scope> = {
  exports: 'exports',
  reminders: 'todos:read',
  maintenance: 'todos:read',
  accounts: 'todos:read',
};

/** `undefined` for no queue: the route answers 404 whatever the token. */
export const scopeOfQueue = (name: string | undefined): Scope | undefined =>
  Object.hasOwn(QUEUE_SCOPES, name ?? '') ? QUEUE_SCOPES[name as QueueName] : undefined;

/** How long a producer waits for Redis before answering 503 (BullMQ's `add` would wait on). */
export const PRODUCER_TIMEOUT_MS = 1_000;
