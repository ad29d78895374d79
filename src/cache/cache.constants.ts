/** Metadata key of `@CacheView()`. */
export const CACHE_VIEW = 'todo-service:cache-view';

/**
 * Every cached entry is stamped with the epoch; recovering from a Redis failure replaces it,
 * so nothing stored before the failure is ever served after it.
 */
export const epochKey = (prefix: string) => `${prefix}:epoch`;
/** An owner's todo views (lists and items) share one generation; the owner's writes replace it. */
export const generationKey = (prefix: string, owner: string) => `${prefix}:owner:${owner}:gen`;
/**
 * A view of one owner. Entries hold their entity tag and belong to one owner since accounts;
 * those of earlier forms lived under other names, so that a process of an earlier release,
 * during a rolling update, never reads one (nor one of this release a form it cannot read).
 */
export const viewKey = (prefix: string, owner: string, view: string) =>
  `${prefix}:owner:${owner}:view:${view}`;
/**
 * The note kept beside a view that a write can carry forward (`ViewCarry`), by the view's
 * key: a view's name has its query URI-encoded, so no view key ends in `#note`.
 */
export const noteKey = (key: string) => `${key}#note`;
/** An entry beside the views (a session), read in the same round trip as them. */
export const sideKey = (prefix: string, name: string) => `${prefix}:${name}`;

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
