import { z } from 'zod';
import { DEVELOPMENT_CURSOR_SECRET } from './secrets.js';

/** Accounts and credentials: sessions, the login throttles, cursors' signing secret, LEGACY_OWNER. */
export const accountsEnv = {
  /**
   * Signs pagination cursors so a tampered cursor is refused instead of trusted. Production
   * refuses the default and anything under 32 characters (secrets.ts).
   */
  CURSOR_SECRET: z.string().min(16).default(DEVELOPMENT_CURSOR_SECRET),
  /** A session ends after this many days without a request, and after SESSION_MAX_DAYS in all. */
  SESSION_IDLE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
  /** Failed password checks for one email from one client address before that pair answers 429. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1_000).default(10),
  /** The same from one client address, whatever the emails (password spraying). */
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(100),
  /** Fractions allowed (tests use seconds): the window is rounded to whole seconds. */
  LOGIN_WINDOW_MINUTES: z.coerce
    .number()
    .min(1 / 60)
    .max(1_440)
    .default(15),
  /** Failed logins for one email from all addresses together (distributed guessing). */
  LOGIN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).max(1_000_000).default(200),
  /** Live sessions per account; a login past it ends the oldest. */
  SESSIONS_MAX: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Accounts one client address may register per hour. */
  REGISTER_MAX_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  /**
   * The account (by email) that tokenless requests to the original's routes act for, and that
   * holds the todos without an owner: set during a cutover from the original (README).
   */
  LEGACY_OWNER: z.email().optional(),
};
