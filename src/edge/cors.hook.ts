import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/configuration.js';

/** Methods and headers a browser client from an allowed origin may use, and may read back. */
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'];
const CORS_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'If-Match',
  'If-None-Match',
  'X-Request-Id',
];
const CORS_EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'Retry-After',
  'X-Request-Id',
  'X-Cache',
  'Idempotent-Replayed',
  'Content-Disposition',
];

/**
 * Cross-origin access for the browser origins in CORS_ORIGINS, and for no other: a refused
 * origin gets no CORS header at all (its preflight is a 404), so the browser blocks the
 * read. Closed when the list is empty, the default. Credentials are never allowed: the API
 * has no cookies, and the admin board must not be reachable cross-origin.
 */
export async function installCors(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  const allowed = new Set(config.corsOrigins);
  await fastify.register(cors, {
    origin:
      allowed.size === 0 ? false : (origin, callback) => callback(null, allowed.has(origin ?? '')),
    methods: CORS_METHODS,
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
    // A preflight without Access-Control-Request-Method is answered like any other, rather
    // than with the plugin's plain-text 400 outside the service's error shape.
    strictPreflight: false,
  });
}
