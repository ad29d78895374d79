import rateLimit from '@fastify/rate-limit';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/configuration.js';
import { RATE_LIMIT_REDIS } from '../redis/redis.module.js';

/** Probes, scrapes and the API docs are never limited. */
const EXEMPT = /^\/(health|metrics|docs)(\/|-json|$)/;

/** The routes that sign in and register: limited per client address only. */
const AUTH = /^\/auth(\/|$)/;

/**
 * Rate limit per owner (per client address for `/auth/*` and requests without a valid token), shared by
 * every API process through Redis. The client address
 * is the socket's unless TRUST_PROXY says which proxies may set X-Forwarded-For, so a
 * spoofed header does not buy a fresh allowance. Over the limit: 429 with Retry-After.
 * Redis failing lets requests through (and shows in readiness) rather than refusing them.
 *
 * Installed between `NestFactory.create` and `init`: the plugin's global mode hooks each
 * route as it is added (`onRoute`), and Nest adds its routes at `init`, so every one of them
 * is covered. Its hook runs at `onRequest`, before the cache's fast path (`preHandler`), so
 * cache hits count too. The connection is the one `RedisModule` owns and closes.
 */
export async function installRateLimit(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<void> {
  if (config.rateLimitMax === 0) return;
  const redis = app.get<Redis>(RATE_LIMIT_REDIS);
  // In the background, as a request must not wait for it: until it is up, requests pass.
  redis.connect().catch(() => undefined);
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitMax,
    timeWindow: config.rateLimitWindowMs,
    redis,
    nameSpace: `${config.cacheKeyPrefix}:rate-limit:`,
    skipOnError: true,
    // Per owner once the token is checked (the authentication step runs first), so clients
    // behind one address do not share an allowance; per address without one. `/auth/*` is
    // per address always: a token sent along (any account's, made for it) must not buy a
    // guesser or a registrar an allowance of its own.
    keyGenerator: (request) =>
      request.principal && !AUTH.test(request.routeOptions.url ?? request.url)
        ? `owner:${request.principal.id}`
        : `address:${request.ip}`,
    allowList: (request) => EXEMPT.test(request.routeOptions.url ?? request.url),
    // Thrown into Nest's error layer, which answers it in the usual error shape.
    errorResponseBuilder: (_request, context) =>
      new HttpException(
        `rate limit exceeded, retry in ${context.after}`,
        HttpStatus.TOO_MANY_REQUESTS,
      ),
  });
}
