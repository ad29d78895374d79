import { applyDecorators, SetMetadata, UseInterceptors, type Type } from '@nestjs/common';
import { CACHE_VIEW } from './cache.constants.js';
import { HttpCacheInterceptor } from './http-cache.interceptor.js';

export interface CacheViewOptions {
  /** Names the view in the cache key, e.g. `list`. */
  name: string;
  /** The query DTO: the key is built from the validated, defaulted query, never the raw one. */
  query?: Type<object>;
  /** For a route that reads its raw query itself (the original's): the view's parameters. */
  queryOf?: (query: unknown) => object;
  /** Query values that mean the same as leaving the parameter out, e.g. `{ start: 0 }`. */
  defaults?: Record<string, unknown>;
  /** Route parameter holding a todo id, validated as the handler's pipe would. */
  idParam?: string;
}

/** Serves the route's JSON answer from the response cache (see `ResponseCache`). */
export const CacheView = (options: CacheViewOptions) =>
  applyDecorators(SetMetadata(CACHE_VIEW, options), UseInterceptors(HttpCacheInterceptor));
