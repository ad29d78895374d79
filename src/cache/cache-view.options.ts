import type { Type } from '@nestjs/common';

/**
 * What `@CacheView()` records on a route and the key factory reads back. Apart from the
 * decorator, which names the interceptor that uses the factory: beside it, the type closed
 * an import cycle (decorator → interceptor → factory → decorator).
 */
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
