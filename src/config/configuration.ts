import { z } from 'zod';
import { accountsEnv } from './accounts.env.js';
import { parseTrustProxy } from './env-values.js';
import { httpEnv } from './http.env.js';
import { jobsEnv } from './jobs.env.js';
import { storesEnv } from './stores.env.js';
import { checkProductionValues, shownValue } from './secrets.js';

/**
 * The environment the service reads: one zod schema that validates it and transforms it into
 * the typed configuration, whose type is derived from it. Each entrypoint parses it once at
 * boot and hands the result to its modules. Defaults are the local development values; every
 * variable is listed with its default in `.env.example`. The variables are declared by concern
 * in `*.env.ts` beside this file.
 */
const envSchema = z.object({ ...httpEnv, ...storesEnv, ...jobsEnv, ...accountsEnv });

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
