import rateLimit from '@fastify/rate-limit';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/configuration.js';

/** Probes, scrapes and the API docs are never limited. */
const EXEMPT = /^\/(health|metrics|docs)(\/|-json|$)/;

/**
 * Per-client-IP rate limit shared by every API process through Redis. The client address
 * is the socket's unless TRUST_PROXY says which proxies may set X-Forwarded-For, so a
 * spoofed header does not buy a fresh allowance. Over the limit: 429 with Retry-After.
 * Redis failing lets requests through (and shows in readiness) rather than refusing them.
 */
export async function installRateLimit(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  if (config.rateLimitMax === 0) return;
  const redis = new Redis(config.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    commandTimeout: 250,
  });
  redis.on('error', () => undefined); // reported by the readiness probe, not per request
  fastify.addHook('onClose', async () => {
    redis.disconnect();
    return Promise.resolve();
  });
  await fastify.register(rateLimit, {
    global: true,
    max: config.rateLimitMax,
    timeWindow: config.rateLimitWindowMs,
    redis,
    nameSpace: `${config.cacheKeyPrefix}:rate-limit:`,
    skipOnError: true,
    allowList: (request) => EXEMPT.test(request.routeOptions.url ?? request.url),
    // Thrown into Nest's error layer, which answers it in the usual error shape.
    errorResponseBuilder: (_request, context) =>
      new HttpException(
        `rate limit exceeded, retry in ${context.after}`,
        HttpStatus.TOO_MANY_REQUESTS,
      ),
  });
}
