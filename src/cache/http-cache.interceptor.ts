import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { lastValueFrom, of, type Observable } from 'rxjs';
import { X_CACHE } from './cache.constants.js';
import { CacheKeyFactory } from './cache-key.factory.js';
import { ResponseCache } from './response-cache.service.js';

/**
 * Answers `@CacheView()` routes from the response cache. The handler's result is serialized
 * once, on a miss; a hit sends the stored bytes as they are (Fastify does not serialize a
 * string body again), with `X-Cache: HIT` or `MISS` and the body's `ETag` (stored with it).
 */
@Injectable()
export class HttpCacheInterceptor implements NestInterceptor {
  constructor(
    private readonly cache: ResponseCache,
    private readonly keys: CacheKeyFactory,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<string>> {
    const view = await this.keys.forRequest(context);
    const { body, etag, hit } = await this.cache.serve(view, async () =>
      JSON.stringify(await lastValueFrom(next.handle())),
    );
    void context
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header(X_CACHE, hit ? 'HIT' : 'MISS')
      .header('etag', etag)
      .header('content-type', 'application/json; charset=utf-8');
    return of(body);
  }
}
