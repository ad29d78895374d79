import { z } from 'zod';
import { origin, port, withoutTrailingSlashes } from './env-values.js';

/** The HTTP side: the server, its edge (proxies, CORS, the rate limit), shutdown, logs and the job dashboard. */
export const httpEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** API processes sharing PORT through Node's cluster module; 1 = this process serves. */
  CLUSTER_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** On SIGTERM, how long active jobs may take to finish before the process exits anyway. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  /** On SIGTERM, how long readiness reports 503 before the server stops taking requests. */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** Longer than the upstream keep-alive of the nginx config (60 s), so nginx closes first. */
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(75_000),
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
};
