/** Retry-After of a refused export (the owner's running limit): about one small export's time. */
export const EXPORT_RETRY_AFTER_SECONDS = 10;
