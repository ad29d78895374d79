import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { BEARER_SCHEME } from './auth/access.decorator.js';
import { installAuthentication } from './auth/authentication.hook.js';
import { installCacheFastPath } from './cache/cache-fast-path.js';
import { applyMongooseOptions } from './common/mongoose-options.js';
import { installRateLimit } from './common/rate-limit.js';
import { installAllowedMethods } from './http/allowed-methods.js';
import { installConditionalGet } from './http/entity-tags.js';
import { answerFrameworkError, installCors, installSecurityHeaders } from './common/security.js';
import type { AppConfig } from './config/configuration.js';
import {
  createRootLogger,
  installRequestLogging,
  PinoLoggerService,
  requestIdOf,
} from './observability/logging.js';

/** Request bodies larger than this are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the API application exactly as it runs in production; the entrypoint and the
 * e2e tests both use it, so the tests exercise the real pipes, limits and documents.
 */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  applyMongooseOptions();
  const root = createRootLogger(config.logLevel, { buffered: config.env === 'production' });
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    genReqId: requestIdOf,
    // Fastify also takes a hop count here, which Nest's option type leaves out.
    trustProxy: config.trustProxy as boolean | string[],
    frameworkErrors: answerFrameworkError,
  });
  installRequestLogging(adapter.getInstance(), root);
  // Before the rate limit, so a 429 carries the security and CORS headers too.
  installSecurityHeaders(adapter.getInstance());
  await installCors(adapter.getInstance(), config);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    adapter,
    {
      logger: new PinoLoggerService(root),
    },
  );
  // Before the rate limit, which counts per owner, and the cache's fast path.
  installAuthentication(app);
  await installRateLimit(app, config);
  installAllowedMethods(adapter.getInstance());
  installConditionalGet(adapter.getInstance());
  installCacheFastPath(app);
  setUpSwagger(app);
  return app;
}

function setUpSwagger(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('todo-service')
    .setDescription(
      [
        'A todo REST API. Lists are newest first; page by `cursor` (stable under writes) or by `start` (an offset).',
        '',
        'Register (`POST /auth/register`), log in (`POST /auth/login`), then send the token as `Authorization: Bearer <token>` ("Authorize" above). Every todo, export and job is its owner\'s: another owner\'s is a 404.',
        '',
        '`HEAD` is answered wherever `GET` is; `OPTIONS` answers 204 with `Allow`; a method a path does not serve is a 405 with `Allow`. Cacheable GETs carry an `ETag` (`If-None-Match` gives 304); changes of a todo honour `If-Match` (412); creates take an `Idempotency-Key`.',
      ].join('\n'),
    )
    .setVersion('1.0')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'A session token from `POST /auth/login`.' },
      BEARER_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
