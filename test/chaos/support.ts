import { send } from '../support/api.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until `check` holds, every 100 ms; resolves with how long that took, rejects after
 * `ms`. Recovery must come by itself: nothing is restarted while this waits.
 */
export async function until(what: string, check: () => Promise<boolean>, ms = 30_000) {
  const started = Date.now();
  while (!(await check().catch(() => false))) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
  return Date.now() - started;
}

/** Whether the API's readiness probe answers 200. */
export const ready = async (url: string) =>
  (await send(url, 'GET', '/health/ready', { signal: AbortSignal.timeout(2_000) })).status === 200;
