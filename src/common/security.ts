import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { AppConfig } from '../config/configuration.js';
import { MAX_PATH_PARAM_LENGTH } from './api-path-param.decorator.js';

const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: true,
    directives: { 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': null },
  },
  frameguard: { action: 'deny' },
  // A year, this host only: whether subdomains are all HTTPS is not this service's call.
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
} as const;

/** Helmet's middleware: the policy, as the library builds it. */
const setSecurityHeaders = helmet(HELMET_OPTIONS);

/**
 * The headers helmet sets, captured once from its own middleware: with no per-request nonce
 * they are the same for every response. Setting them as one object in a Fastify hook costs
 * a fraction of running the middleware per request (`@fastify/helmet` does that: a dozen
 * `setHeader` calls on the raw response took about a third of a cached hit's throughput).
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  setSecurityHeaders({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
})();

/**
 * Headers a browser needs to treat the service's answers safely. Helmet's defaults, with a
 * Content-Security-Policy under which Swagger UI at /docs still works (its scripts and styles
 * are same-origin files; its inline `<style>` blocks and SVG data: images are allowed), and
 * two changes: no framing at all (the API and its docs are never meant to be embedded), and
 * no `upgrade-insecure-requests`, which would break /docs for anyone reaching a development
 * or internal instance over plain HTTP (TLS is the proxy's job; HSTS covers HTTPS clients).
 */
export function installSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(SECURITY_HEADERS);
    done();
  });
}

/** Fixed messages, so the rejected URL is never echoed back. */
const FRAMEWORK_ERROR_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL is malformed',
  FST_ERR_MAX_PARAM_LENGTH: `a path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters`,
};

/**
 * Fastify's router refuses a malformed URL and an over-long path parameter itself, before any
 * hook and outside Nest's exception filter. This gives those answers the same security
 * headers and `{statusCode, error, message}` shape as every other response. Both are a 400:
 * an over-long parameter is invalid input like any other the pipes refuse (the document's
 * `maxLength`), not a URI too long for the server (414, which Fastify sends by default).
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const statusCode = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 400 : (error.statusCode ?? 400);
  void reply
    .headers(SECURITY_HEADERS)
    // The request id too, which the request hooks that did not run would have sent.
    .header('x-request-id', request.id)
    .code(statusCode)
    .send({
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message: FRAMEWORK_ERROR_MESSAGES[error.code] ?? STATUS_CODES[statusCode] ?? 'Error',
    });
}

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
