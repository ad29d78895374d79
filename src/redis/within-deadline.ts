import { ServiceUnavailableException } from '@nestjs/common';

/** How long a request waits for Redis (or BullMQ's `add`, which would wait on) before a 503. */
export const PRODUCER_TIMEOUT_MS = 1_000;

/**
 * Runs a queue command (or another Redis one: `store` names it) with a deadline. BullMQ
 * waits for a connection that is down; a request should not, so it gets a 503 (with
 * Retry-After) instead.
 */
export async function withinDeadline<T>(
  operation: Promise<T>,
  what: string,
  store = 'the job queue',
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), PRODUCER_TIMEOUT_MS);
  });
  try {
    return await Promise.race([operation, deadline]);
  } catch {
    operation.catch(() => undefined);
    throw new ServiceUnavailableException(`${store} is unavailable, could not ${what}`);
  } finally {
    clearTimeout(timer);
  }
}
