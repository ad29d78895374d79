import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { CACHE_VIEW } from './cache.constants.js';
import type { CacheViewOptions } from './cache-view.options.js';
import { HttpCacheInterceptor } from './http-cache.interceptor.js';

/** Serves the route's JSON answer from the response cache (see `ResponseCache`). */
export const CacheView = (options: CacheViewOptions) =>
  applyDecorators(SetMetadata(CACHE_VIEW, options), UseInterceptors(HttpCacheInterceptor));
