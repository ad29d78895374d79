/** Each readiness check gives up after this long: well under a second, as probes expect. */
export const READINESS_TIMEOUT_MS = 800;
/** The event loop is unhealthy when it was blocked longer than this since the last probe. */
export const EVENT_LOOP_MAX_DELAY_MS = 1_000;
/** A readiness check's result answers the probes of this long after it (`RecentResult`). */
export const READINESS_REUSE_MS = 1_000;
