import { STATUS_CODES } from 'node:http';
import {
  Catch,
  HttpException,
  Logger,
  ServiceUnavailableException,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { isDatabaseUnavailable } from '../database/database-errors.js';
import { RetryLaterException } from './retry-later.exception.js';

const RETRY_AFTER_SECONDS = 5;

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

const isMessage = (value: unknown): value is string | string[] =>
  typeof value === 'string' ||
  (Array.isArray(value) && value.every((item) => typeof item === 'string'));

/**
 * Gives every error one shape, `{statusCode, error, message}`. Nest's own filter omits
 * `error` for exceptions built from a plain string, which is what Fastify's body-parser
 * errors (invalid JSON, 413) become. A MongoDB outage (no server, dropped or silent
 * connection) is a 503 with Retry-After, logged as a warning: the client should retry, and
 * the body names no driver detail. Anything else that is not an HttpException is logged
 * and answered with a generic 500 that reveals no stack or driver message.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(caught: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const exception = this.mapOutage(caught);
    const body = toErrorBody(exception);
    const statusCode = exception instanceof HttpException ? exception.getStatus() : 500;
    if (!(exception instanceof HttpException)) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : exception,
      );
    }
    if (reply.sent) return;
    // A 503 is temporary (a store is away): tell clients when to try again.
    if (statusCode === 503) void reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
    // An answer about the caller's credentials: no cache on the way may keep or share it.
    if (statusCode === 401 || statusCode === 403) void reply.header('cache-control', 'no-store');
    if (exception instanceof RetryLaterException) {
      void reply.header('Retry-After', String(exception.retryAfterSeconds));
    }
    void reply.status(statusCode).send(body);
  }

  private mapOutage(exception: unknown): unknown {
    if (!isDatabaseUnavailable(exception)) return exception;
    const reason = exception instanceof Error ? `${exception.name}: ${exception.message}` : '';
    this.logger.warn(`MongoDB unavailable, answering 503: ${reason}`);
    return new ServiceUnavailableException(DATABASE_UNAVAILABLE);
  }
}

/** The whole message a client gets for a MongoDB outage: nothing from the driver. */
export const DATABASE_UNAVAILABLE = 'the database is unavailable, try again later';

/**
 * The error body: Nest's shape, completed. An exception built with a body of another shape
 * (Terminus's health report) keeps it, since that body is the answer.
 */
export function toErrorBody(exception: unknown): ErrorBody | object {
  if (!(exception instanceof HttpException)) {
    return { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' };
  }
  const statusCode = exception.getStatus();
  const fallback = STATUS_CODES[statusCode] ?? 'Error';
  const response = exception.getResponse();
  if (typeof response === 'string') return { statusCode, error: fallback, message: response };
  if (!('message' in response)) return response;
  const { error, message } = response as { error?: unknown; message?: unknown };
  return {
    statusCode,
    error: typeof error === 'string' ? error : fallback,
    message: isMessage(message) ? message : fallback,
  };
}
