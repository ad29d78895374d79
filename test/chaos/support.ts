import { send } from '../support/api.js';

/**
 * How the chaos tests wait for the service to recover, with `until`: every 100 ms for up to
 * 30 s, a check that throws counting as not yet. Recovery must come by itself: nothing is
 * restarted while this waits.
 */
export const RECOVERY = { timeoutMs: 30_000, intervalMs: 100, retryErrors: true };

/** Whether the API's readiness probe answers 200. */
export const ready = async (url: string) =>
  (await send(url, 'GET', '/health/ready', { signal: AbortSignal.timeout(2_000) })).status === 200;

/** The per-owner export limits at their maximum: for suites whose one owner queues many. */
export const EXPORTS_UNLIMITED = { EXPORT_MAX_RUNNING: '100', EXPORT_MAX_KEPT: '1000' };
