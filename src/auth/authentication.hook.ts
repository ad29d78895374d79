import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Representation } from '../cache/cache-entry.js';
import { Authenticator } from './authenticator.js';
import type { Principal } from './owner.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, once a valid token (or LEGACY_OWNER, for the original's routes) names one. */
    principal?: Principal;
    /** The cached view of the caller that answers this request, found with the token check. */
    cachedView?: Representation;
  }
}

/**
 * Checks bearer tokens at `onRequest`: before the rate limit (which counts per owner), the
 * cache's fast path (which sends only the caller's own views) and Nest (whose guard reads
 * the outcome). A request without a token passes through untouched, to be refused by the
 * guard, or served by a public route.
 */
export function installAuthentication(app: NestFastifyApplication): void {
  const authenticator = app.get(Authenticator);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.decorateRequest('principal', undefined);
  fastify.decorateRequest('cachedView', undefined);
  fastify.addHook('onRequest', async (request) => {
    await authenticator.authenticate(request);
  });
}
