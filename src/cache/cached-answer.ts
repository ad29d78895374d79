import type { FastifyReply } from 'fastify';
import type { Representation } from './cache-entry.js';
import { X_CACHE } from './cache.constants.js';

/** The reply methods a cached answer needs: a real reply, or a spec's small fake. */
type Reply = Pick<FastifyReply, 'header' | 'getHeader'>;

/**
 * The headers of a cacheable answer, a hit or a miss: `X-Cache`, its stored `ETag`, JSON, and
 * that it is one owner's — no shared cache may keep it, a browser cache keys it by the token
 * (`Vary: Authorization`, added to a `Vary` CORS may have set), and it must be revalidated,
 * which its ETag makes a cheap 304.
 */
export function markCachedAnswer(reply: Reply, { etag }: Representation, hit: boolean): void {
  const vary = reply.getHeader('vary');
  reply
    .header('cache-control', 'private, no-cache')
    .header('vary', vary === undefined ? 'Authorization' : `${String(vary)}, Authorization`)
    .header(X_CACHE, hit ? 'HIT' : 'MISS')
    .header('etag', etag)
    .header('content-type', 'application/json; charset=utf-8');
}
