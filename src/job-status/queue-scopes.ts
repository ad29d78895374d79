import type { Scope } from '../auth/scopes.js';
import type { QueueName } from '../queues/queues.constants.js';

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
