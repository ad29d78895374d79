import { z } from 'zod';
import { flag } from './env-values.js';

/** The data stores: MongoDB and its outage bounds, Redis, the response cache and its memory, the cutover's stored forms. */
export const storesEnv = {
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/.+/, 'must be a mongodb:// or mongodb+srv:// URI')
    .default('mongodb://127.0.0.1:27017/todo'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  CACHE_ENABLED: flag(true),
  /** Prefix of every cache key, so several deployments (or test files) can share one Redis. */
  CACHE_KEY_PREFIX: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -')
    .default('todo-service'),
  /** Longest wait for one cache operation before the request goes on without the cache. */
  CACHE_TIMEOUT_MS: z.coerce.number().int().min(10).max(1_000).default(250),
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
  /** The cutover (README): store `created_at`/`finished_at` as the original did, epoch seconds. */
  STORE_ORIGINAL_TIMES: flag(false),
  /** With it, how often the worker looks for todos the original wrote, which it cannot announce. */
  ORIGINAL_WRITES_POLL_MS: z.coerce.number().int().min(200).max(60_000).default(2_000),
};
