import { z } from 'zod';
import { flag, origin, parseTrustProxy, withoutTrailingSlashes } from './env-values.js';
import { checkProductionValues, DEVELOPMENT_CURSOR_SECRET, shownValue } from './secrets.js';

/**
 * The environment the service reads: one zod schema that validates it and transforms it into
 * the typed configuration, whose type is derived from it. Each entrypoint parses it once at
 * boot and hands the result to its modules. Defaults are the local development values; every
 * variable is listed with its default in `.env.example`.
 */
const port = z.coerce.number().int().min(1).max(65535);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** API processes sharing PORT through Node's cluster module; 1 = this process serves. */
  CLUSTER_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/.+/, 'must be a mongodb:// or mongodb+srv:// URI')
    .default('mongodb://127.0.0.1:27017/todo'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  CACHE_ENABLED: flag(true),
  /** Prefix of every cache key, so several deployments (or test files) can share one Redis. */
  CACHE_KEY_PREFIX: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -')
    .default('todo-service'),
  /** Longest wait for one cache operation before the request goes on without the cache. */
  CACHE_TIMEOUT_MS: z.coerce.number().int().min(10).max(1_000).default(250),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  WORKER_HEALTH_PORT: port.default(3001),
  /** How long a job may run without renewing its lock before it counts as stalled (crashed worker). */
  WORKER_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /** On SIGTERM, how long active jobs may take to finish before the process exits anyway. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  /** On SIGTERM, how long readiness reports 503 before the server stops taking requests. */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** Longer than the upstream keep-alive of the nginx config (60 s), so nginx closes first. */
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(75_000),
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
  /** Requests per client IP per window, shared by all API processes through Redis; 0 turns it off. */
  RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(1_200),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1_000).default(60_000),
  /**
   * Which proxies may set the client address (X-Forwarded-For, -Proto, -Host): unset trusts
   * none; `true`, or comma-separated addresses, CIDRs or proxy-addr's names (`loopback`,
   * `uniquelocal`). Not a hop count: Fastify 5 trusts no proxy for one (it cannot check the
   * peer), so a count would silently turn the proxy headers off.
   */
  TRUST_PROXY: z
    .string()
    .refine((value) => !/^\d+$/.test(value.trim()), {
      message:
        'a hop count trusts no proxy in Fastify 5: name the proxies (addresses, CIDRs, or loopback/uniquelocal), or true',
    })
    .optional(),
  /**
   * The URL clients reach the API at (`https://todo.example.com`), the OpenAPI document's
   * server; unset, each request's own scheme and host are (proxy headers only with TRUST_PROXY).
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform(withoutTrailingSlashes)
    .optional(),
  /** Browser origins allowed to call the API cross-origin (comma-separated); unset: none. */
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    )
    .pipe(z.array(origin)),
  /** Credentials of the job dashboard at /admin/queues; without them it is not mounted. */
  ADMIN_USER: z.string().min(1).optional(),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  /**
   * Signs pagination cursors so a tampered cursor is refused instead of trusted. Production
   * refuses the default and anything under 32 characters (secrets.ts).
   */
  CURSOR_SECRET: z.string().min(16).default(DEVELOPMENT_CURSOR_SECRET),
  /** Create collections and indexes at boot (off in production: dist/sync-indexes.js does). */
  MONGODB_AUTO_INDEX: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /**
   * How long a MongoDB outage may hold a request (see docs/decisions.md): an operation waits
   * this long for a server to be selected before the request fails with 503.
   */
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  /** Opening a connection, and each heartbeat, gives up after this long (a frozen server). */
  MONGODB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** How often the driver checks the server; a failed check ends in-flight operations. */
  MONGODB_HEARTBEAT_MS: z.coerce.number().int().min(500).max(60_000).default(2_000),
  /** A socket silent this long fails its operation: the backstop, above any legitimate query. */
  MONGODB_SOCKET_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  /** How many times a job may be taken over from a crashed worker before it is failed. */
  WORKER_MAX_STALLED_COUNT: z.coerce.number().int().min(0).max(100).default(3),
  /** The cutover (README): store `created_at`/`finished_at` as the original did, epoch seconds. */
  STORE_ORIGINAL_TIMES: flag(false),
  /** With it, how often the worker looks for todos the original wrote, which it cannot announce. */
  ORIGINAL_WRITES_POLL_MS: z.coerce.number().int().min(200).max(60_000).default(2_000),
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
  // Credential limits (issue 27): the lockout per (email, address), a ceiling per email.
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

  // --- Cache memory (issue 27): where the cache lives, and how much of it one body or process takes.
  /**
   * The response cache's Redis (views, generations, the epoch, credential entries); unset:
   * REDIS_URL. Its own server may evict (`allkeys-lru` with a `maxmemory`); REDIS_URL's must not.
   */
  CACHE_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** A body larger than this (UTF-8 bytes) is served but not cached. */
  CACHE_MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(16_777_216).default(262_144),
  /** Bytes of bodies one process keeps in memory beside Redis (oldest out first). */
  CACHE_PROCESS_MAX_BYTES: z.coerce.number().int().min(0).max(1_073_741_824).default(33_554_432),
  // Exports (each owner's share of what every owner shares).
  /** How long a finished export's file is kept; fractions allowed (tests use seconds). */
  EXPORT_TTL_HOURS: z.coerce.number().min(0.0001).max(8_760).default(24),
  /** Exports of one owner waiting or running at once; one more is a 429. */
  EXPORT_MAX_RUNNING: z.coerce.number().int().min(1).max(100).default(3),
  /** Exports of one owner kept (in flight or finished, not expired); one more is a 409. */
  EXPORT_MAX_KEPT: z.coerce.number().int().min(1).max(1_000).default(20),
  /** Completed export jobs BullMQ keeps in Redis (the records in MongoDB outlive them). */
  EXPORT_JOBS_KEPT: z.coerce.number().int().min(1).max(100_000).default(1_000),
});

type Env = z.infer<typeof envSchema>;

/** The typed configuration: the schema's output, with the variables' names in camelCase. */
const configSchema = envSchema
  .refine((env) => (env.ADMIN_USER === undefined) === (env.ADMIN_PASSWORD === undefined), {
    path: ['ADMIN_PASSWORD'],
    message: 'set ADMIN_USER and ADMIN_PASSWORD together',
  })
  .superRefine(checkProductionValues)
  .transform((env: Env) => ({
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    clusterWorkers: env.CLUSTER_WORKERS,
    mongodbUri: env.MONGODB_URI,
    mongodbAutoIndex: env.MONGODB_AUTO_INDEX ?? env.NODE_ENV !== 'production',
    /** The driver settings that bound how long a MongoDB outage can hold an operation. */
    mongodbTimeouts: {
      serverSelectionTimeoutMS: env.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
      connectTimeoutMS: env.MONGODB_CONNECT_TIMEOUT_MS,
      heartbeatFrequencyMS: env.MONGODB_HEARTBEAT_MS,
      socketTimeoutMS: env.MONGODB_SOCKET_TIMEOUT_MS,
    },
    redisUrl: env.REDIS_URL,
    logLevel: env.LOG_LEVEL,
    cacheTtlSeconds: env.CACHE_TTL_SECONDS,
    cacheEnabled: env.CACHE_ENABLED,
    cacheKeyPrefix: env.CACHE_KEY_PREFIX,
    cacheTimeoutMs: env.CACHE_TIMEOUT_MS,
    workerConcurrency: env.WORKER_CONCURRENCY,
    workerHealthPort: env.WORKER_HEALTH_PORT,
    cursorSecret: env.CURSOR_SECRET,
    workerLockMs: env.WORKER_LOCK_MS,
    workerStalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    workerMaxStalledCount: env.WORKER_MAX_STALLED_COUNT,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    shutdownDelayMs: env.SHUTDOWN_DELAY_MS,
    keepAliveTimeoutMs: env.KEEP_ALIVE_TIMEOUT_MS,
    queuePrefix: env.QUEUE_PREFIX,
    jobAttempts: env.JOB_ATTEMPTS,
    jobBackoffMs: env.JOB_BACKOFF_MS,
    retentionDays: env.RETENTION_DAYS,
    maintenanceIntervalMs: env.MAINTENANCE_INTERVAL_MS,
    reminderWebhookUrl: env.REMINDER_WEBHOOK_URL,
    rateLimitMax: env.RATE_LIMIT_MAX,
    rateLimitWindowMs: env.RATE_LIMIT_WINDOW_MS,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    publicUrl: env.PUBLIC_URL,
    corsOrigins: env.CORS_ORIGINS,
    storeOriginalTimes: env.STORE_ORIGINAL_TIMES,
    originalWritesPollMs: env.ORIGINAL_WRITES_POLL_MS,
    sessionIdleDays: env.SESSION_IDLE_DAYS,
    sessionMaxDays: env.SESSION_MAX_DAYS,
    loginMaxFailures: env.LOGIN_MAX_FAILURES,
    loginMaxFailuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
    loginWindowMinutes: env.LOGIN_WINDOW_MINUTES,
    registerMaxPerHour: env.REGISTER_MAX_PER_HOUR,
    loginMaxFailuresPerEmail: env.LOGIN_MAX_FAILURES_PER_EMAIL,
    sessionsMax: env.SESSIONS_MAX,
    legacyOwner: env.LEGACY_OWNER,
    // --- Cache memory (issue 27)
    cacheRedisUrl: env.CACHE_REDIS_URL ?? env.REDIS_URL,
    cacheMaxBodyBytes: env.CACHE_MAX_BODY_BYTES,
    cacheProcessMaxBytes: env.CACHE_PROCESS_MAX_BYTES,
    exports: {
      ttlMs: env.EXPORT_TTL_HOURS * 3_600_000,
      maxRunning: env.EXPORT_MAX_RUNNING,
      maxKept: env.EXPORT_MAX_KEPT,
      jobsKept: env.EXPORT_JOBS_KEPT,
    },
    admin:
      env.ADMIN_USER !== undefined && env.ADMIN_PASSWORD !== undefined
        ? { user: env.ADMIN_USER, password: env.ADMIN_PASSWORD }
        : undefined,
  }));

type Config = Readonly<z.output<typeof configSchema>>;

/**
 * The configuration's injection token and type in one name: consumers write
 * `constructor(private readonly config: AppConfig)` and get the schema's output type. The
 * class is never instantiated; the interface of the same name gives it its members.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class AppConfig {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface AppConfig extends Config {}

export class ConfigError extends Error {}

/**
 * Parses the environment; on failure throws one line naming each bad variable. An empty
 * variable counts as unset (`ADMIN_USER=` in an env file means "no admin").
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): AppConfig {
  const source = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== ''),
  );
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      // The variable, not the item of a list variable (CORS_ORIGINS) that was wrong.
      const name = String(issue.path[0]);
      return `${name}: ${issue.message}${shownValue(name, source[name])}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return Object.freeze(parsed.data);
}
