/** A day in milliseconds, for the settings given in days (sessions, tokens, retention). */
export const DAY_MS = 24 * 3600 * 1000;
