import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { REQUEST_ID } from '../common/patterns.js';

/** Requests whose lines would drown the rest: probes and scrapes. */
const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/** The id of the current request, for any code running on its behalf. */
const requestContext = new AsyncLocalStorage<string>();

/**
 * JSON lines on stdout; never request bodies, never credentials. `buffered` (production)
 * writes asynchronously in chunks of a few KiB, flushed every second and at exit: a log line
 * per request written synchronously costs a fifth of the cached hit path. A process killed
 * with SIGKILL can lose its last second of lines.
 */
export function createRootLogger(level: string, { buffered = false } = {}): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    pino.destination(
      buffered ? { dest: 1, sync: false, minLength: 4096, periodicFlush: 1000 } : { dest: 1 },
    ),
  );
}

/** Takes a well-formed `X-Request-Id` from the client (or a proxy), or makes one. */
export function requestIdOf(request: IncomingMessage): string {
  const sent = request.headers['x-request-id'];
  return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
}

/**
 * Echoes the request id on every response, binds it to every log line written while the
 * request is handled, and logs one line per finished request (probes and scrapes excepted).
 */
export function installRequestLogging(fastify: FastifyInstance, root: Logger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    requestContext.run(request.id, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (!QUIET_ROUTES.has(route ?? '') && root.isLevelEnabled('info')) {
      root.info(
        {
          req_id: request.id,
          method: request.method,
          url: request.url,
          route,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 100) / 100,
          remote: request.ip,
        },
        'request completed',
      );
    }
    done();
  });
}

/** Nest's logger interface over pino, picking up the request's id when there is one. */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly root: Logger) {}

  /** A child logger only when a line is written during a request: rare, so not made per request. */
  private get logger(): Logger {
    const id = requestContext.getStore();
    return id === undefined ? this.root : this.root.child({ req_id: id });
  }

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string): void {
    this.logger.fatal({ context }, String(message));
  }
}
