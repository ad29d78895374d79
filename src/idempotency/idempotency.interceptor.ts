import {
  BadRequestException,
  ConflictException,
  HttpException,
  Injectable,
  Logger,
  UnprocessableEntityException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, mergeMap, of, type Observable } from 'rxjs';
import { toErrorBody } from '../common/http-exception.filter.js';
import { IDEMPOTENCY_KEY } from '../common/patterns.js';
import { inputProblem } from '../common/validation.js';
import { fingerprintOf } from './fingerprint.js';
import {
  IdempotencyStore,
  type Claim,
  type KeyHolder,
  type RecordedAnswer,
} from './idempotency.store.js';

/** 1 to 255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = IDEMPOTENCY_KEY;

/**
 * `Idempotency-Key` on a create (the IETF httpapi idempotency-key draft): the first request
 * with a key runs and its answer — a 2xx, or a 4xx other than 429 — is kept for 24 hours; a
 * retry with the same key and the same body gets that answer again, marked
 * `Idempotent-Replayed: true`, and creates nothing. The same key with another body is a 422;
 * a retry while the first is still running is a 409. A 5xx, 503 or 429 is not kept (the
 * retry must be able to succeed): the key is freed. Bodies are compared after parsing, so a
 * JSON and a form body with equal fields are the same request.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(private readonly store: IdempotencyStore) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const key = request.headers['idempotency-key'];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new BadRequestException('Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    // A body the validation pipe will refuse (too deep to walk) is refused there, unkept.
    if (inputProblem(request.body) !== undefined) return next.handle();
    const fingerprint = fingerprintOf(request.body);
    const path = request.url.split('?')[0];
    // Scoped to the caller's account (the guard ran before), so one owner's key never
    // replays another owner's answer.
    const owner = request.principal?.id ?? 'anyone';
    const held = await this.store.claim(`${owner} ${request.method} ${path} ${key}`, fingerprint);
    if (!('value' in held)) return of(this.replay(held, fingerprint, reply));

    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        const location = reply.getHeader('location');
        await this.keep(held, fingerprint, {
          status: reply.statusCode,
          ...(typeof location === 'string' ? { location } : {}),
          body: JSON.stringify(body) ?? '',
        });
        return body;
      }),
      catchError(async (error: unknown) => {
        const status = error instanceof HttpException ? error.getStatus() : 500;
        if (status >= 400 && status < 500 && status !== 429) {
          await this.keep(held, fingerprint, { status, body: JSON.stringify(toErrorBody(error)) });
        } else {
          await this.store.abandon(held).catch(() => undefined); // it expires anyway
        }
        throw error;
      }),
    );
  }

  /** The first request's answer, again; or why it cannot be given. */
  private replay(held: KeyHolder, fingerprint: string, reply: FastifyReply): string {
    if (held.fingerprint !== fingerprint) {
      throw new UnprocessableEntityException(
        'this Idempotency-Key was already used with another body',
      );
    }
    if (held.state === 'in-flight') {
      void reply.header('retry-after', '1');
      throw new ConflictException('a request with this Idempotency-Key is still in progress');
    }
    void reply
      .code(held.status)
      .header('idempotent-replayed', 'true')
      .header('content-type', 'application/json; charset=utf-8');
    if (held.location !== undefined) void reply.header('location', held.location);
    return held.body;
  }

  /**
   * Keeps the answer for replays. If Redis failed meanwhile, the request still gets its
   * answer (what it did is done); the claim then expires, and a retry after that runs again.
   */
  private async keep(claim: Claim, fingerprint: string, answer: RecordedAnswer): Promise<void> {
    await this.store.finish(claim, fingerprint, answer).catch((error: unknown) => {
      this.logger.warn(`could not keep the answer of an Idempotency-Key: ${String(error)}`);
    });
  }
}
