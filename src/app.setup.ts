import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { installAuthentication } from './auth/authentication.hook.js';
import { installCacheFastPath } from './cache/cache-fast-path.js';
import { applyMongooseOptions } from './common/mongoose-options.js';
import { installRateLimit } from './common/rate-limit.js';
import { installAllowedMethods } from './http/allowed-methods.js';
import { installConditionalGet } from './http/entity-tags.js';
import { answerFrameworkError, installCors, installSecurityHeaders } from './common/security.js';
import type { AppConfig } from './config/configuration.js';
import { setUpSwagger } from './openapi/openapi-document.js';
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
    trustProxy: config.trustProxy,
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
  setUpSwagger(app, config);
  return app;
}
