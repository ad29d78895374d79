import { type DynamicModule, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootOrExit, enableGracefulShutdown } from './bootstrap.js';
import { applyMongooseOptions } from './common/mongoose-options.js';
import type { AppConfig } from './config/configuration.js';
import { JobHandlersError } from './jobs/job-handlers.js';
import { createRootLogger, PinoLoggerService } from './observability/logging.js';

/**
 * Boots a worker process of the root module `module` builds from the config. `dist/worker.js`
 * passes `WorkerModule.register`; taking the module lets a test boot this very path with its
 * job handlers made wrong on purpose, and see the exit a build's mistake gets.
 */
export function bootWorker(module: (config: AppConfig) => DynamicModule): Promise<void> {
  return bootOrExit(async (config) => {
    applyMongooseOptions();
    // An HTTP application only for the probes: its sole routes are /health/live and /health/ready.
    const app = await NestFactory.create<NestFastifyApplication>(
      module(config),
      new FastifyAdapter({ keepAliveTimeout: config.keepAliveTimeoutMs }),
      {
        logger: new PinoLoggerService(
          createRootLogger(config.logLevel, { buffered: config.env === 'production' }),
        ),
      },
    );
    enableGracefulShutdown(app, config);
    try {
      await app.listen({ port: config.workerHealthPort, host: config.host });
    } catch (error) {
      if (!(error instanceof JobHandlersError)) throw error;
      // A job name without a handler (or with two) is a build's mistake, as a bad variable is
      // the operator's: one line, EX_CONFIG, not a crash to retry.
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    new Logger('Bootstrap').log(`worker started; health on port ${config.workerHealthPort}`);
  });
}
