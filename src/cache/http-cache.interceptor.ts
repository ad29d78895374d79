import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { lastValueFrom, of, type Observable } from 'rxjs';
import { markCachedAnswer } from './cached-answer.js';
import { CacheKeyFactory } from './cache-key.factory.js';
import { ResponseCache } from './response-cache.service.js';
import { noteOf } from './view-note.js';

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

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    // The guard ran before: a cached route always has a caller, whose views these are.
    const owner = http.getRequest<FastifyRequest>().principal?.id;
    if (owner === undefined) return next.handle();
    const view = await this.keys.forRequest(context);
    const answer = await this.cache.serve(owner, view, async () => {
      const result: unknown = await lastValueFrom(next.handle());
      return { body: JSON.stringify(result), note: noteOf(result) };
    });
    markCachedAnswer(http.getResponse<FastifyReply>(), answer, answer.hit);
    return of(answer.body);
  }
}
