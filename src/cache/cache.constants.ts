/** Metadata key of `@CacheView()`. */
export const CACHE_VIEW = 'todo-service:cache-view';

/** Every todo view (lists and items) shares one generation; any write replaces it. */
export const generationKey = (prefix: string) => `${prefix}:todos:gen`;
/**
 * Entries hold their entity tag since the ETag release; those of another form live under
 * another name, so that a process of the release before, during a rolling update, never
 * reads one (nor one of this release a form it cannot read).
 */
export const viewKey = (prefix: string, view: string) => `${prefix}:todos:tagged-view:${view}`;

/** The generation readers assume while none was ever written (a new or flushed Redis). */
export const INITIAL_GENERATION = '0';

/** The generation outlives every entry, so an entry can never see its generation come back. */
export const GENERATION_TTL_MS = 7 * 24 * 3600 * 1000;

/** How often a process that lost Redis tries to come back (and replace the generation). */
export const RECOVERY_INTERVAL_MS = 500;

/** The response header telling whether a cacheable answer came from the cache. */
export const X_CACHE = 'x-cache';

/** How `X-Cache` appears in the OpenAPI document. */
export const X_CACHE_HEADER = {
  'X-Cache': {
    description: '`HIT` when the answer came from the Redis cache, `MISS` otherwise.',
    schema: { type: 'string', enum: ['HIT', 'MISS'] },
  },
};
