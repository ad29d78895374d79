import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootOrExit, enableGracefulShutdown } from './bootstrap.js';
import { applyMongooseOptions } from './common/mongoose-options.js';
import { JobHandlersError } from './jobs/job-handlers.js';
import { createRootLogger, PinoLoggerService } from './observability/logging.js';
import { WorkerModule } from './worker.module.js';

await bootOrExit(async (config) => {
  applyMongooseOptions();
  // An HTTP application only for the probes: its sole routes are /health/live and /health/ready.
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerModule.register(config),
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
    process.stderr.write(`${error.message}
`);
    process.exit(78);
  }
  new Logger('Bootstrap').log(`worker started; health on port ${config.workerHealthPort}`);
});
