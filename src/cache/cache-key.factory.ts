import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe.js';
import { createValidationPipe } from '../common/validation.js';
import { CACHE_VIEW } from './cache.constants.js';
import type { CacheViewOptions } from './cache-view.options.js';

/** Most distinct request URLs whose cache key is remembered. */
const MEMO_SIZE = 10_000;

/**
 * Builds the cache key of a request from its validated query, so parameter order and
 * defaults do not split the cache, and a request that would be a 400 never reaches it
 * (the validation throws the same 400 the handler would). Keys of valid URLs are
 * remembered, so a hit skips validation.
 */
@Injectable()
export class CacheKeyFactory {
  private readonly pipe = createValidationPipe();
  private readonly ids = new ParseObjectIdPipe();
  private readonly memo = new Map<string, string>();

  constructor(private readonly reflector: Reflector) {}

  async forRequest(context: ExecutionContext): Promise<string> {
    const options = this.reflector.get<CacheViewOptions>(CACHE_VIEW, context.getHandler());
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const memoKey = memoKeyOf(request);
    const remembered = this.memo.get(memoKey);
    if (remembered !== undefined) return remembered;

    const params = request.params as Record<string, unknown>;
    const id = options.idParam === undefined ? '' : this.ids.transform(params[options.idParam]);
    const query: object = options.queryOf
      ? options.queryOf(request.query)
      : options.query
        ? ((await this.pipe.transform(request.query, {
            type: 'query',
            metatype: options.query,
          })) as object)
        : {};
    const key = viewName(options, id, query);

    if (this.memo.size >= MEMO_SIZE) this.memo.delete(this.memo.keys().next().value as string);
    this.memo.set(memoKey, key);
    return key;
  }

  /** The key of a request this process has already validated and keyed, if any. */
  keyOfValidated(request: FastifyRequest): string | undefined {
    return this.memo.get(memoKeyOf(request));
  }
}

/** Route pattern and URL: the same URL on another route is another view. */
const memoKeyOf = (request: FastifyRequest) =>
  `${request.method} ${request.routeOptions.url ?? ''} ${request.url}`;

/**
 * A view's name in its cache key, from the route's options, the id and the validated query:
 * also how a write names the view it carries (`ViewCarry`).
 */
export const viewName = (options: CacheViewOptions, id: string, query: object) =>
  `${options.name}:${id}?${canonicalQuery(query, options.defaults)}`;

/** `b=2&a=1` and `a=1&b=2` give the same string; absent and default values are left out. */
export function canonicalQuery(query: object, defaults: Record<string, unknown> = {}): string {
  return Object.entries(query)
    .filter(([name, value]) => value !== undefined && value !== defaults[name])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');
}
