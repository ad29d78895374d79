import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { applyMongooseOptions } from './common/mongoose-options.js';
import type { AppConfig } from './config/configuration.js';
import { EDGE_PIPELINE } from './edge/edge.pipeline.js';
import { installAdapterPhase, installAppPhase } from './edge/edge-step.js';
import { answerFrameworkError } from './edge/framework-errors.js';
import { createRootLogger, PinoLoggerService, requestIdOf } from './observability/logging.js';

/** Request bodies larger than this are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the API application exactly as it runs in production; the entrypoint and the
 * e2e tests both use it, so the tests exercise the real pipes, limits and documents. The
 * Fastify-level steps, and their order, are `EDGE_PIPELINE`'s.
 */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  applyMongooseOptions();
  const logger = createRootLogger(config.logLevel, { buffered: config.env === 'production' });
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    genReqId: requestIdOf,
    trustProxy: config.trustProxy,
    frameworkErrors: answerFrameworkError,
  });
  const edge = { fastify: adapter.getInstance(), config, logger };
  await installAdapterPhase(EDGE_PIPELINE, edge);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    adapter,
    { logger: new PinoLoggerService(logger) },
  );
  await installAppPhase(EDGE_PIPELINE, { ...edge, app });
  return app;
}
