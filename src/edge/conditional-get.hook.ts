import type { FastifyInstance } from 'fastify';
import { noneMatch } from '../http/entity-tags.js';

/**
 * A GET or HEAD answered 200 with an `ETag` that a request's `If-None-Match` names becomes a
 * 304 without a body (RFC 9110 §13.1.2), here at `onSend`, so a cache hit answered before
 * Nest (the fast path) and a miss answered through it are both covered by one rule.
 */
export function installConditionalGet(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const header = request.headers['if-none-match'];
    const etag = reply.getHeader('etag');
    if (
      header === undefined ||
      typeof etag !== 'string' ||
      reply.statusCode !== 200 ||
      (request.method !== 'GET' && request.method !== 'HEAD') ||
      noneMatch(header, etag)
    ) {
      return done(null, payload);
    }
    void reply.code(304).removeHeader('content-length').removeHeader('content-type');
    done(null, '');
  });
}
