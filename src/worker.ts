import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootOrExit, enableGracefulShutdown } from './bootstrap.js';
import { applyMongooseOptions } from './common/mongoose-options.js';
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
  await app.listen({ port: config.workerHealthPort, host: config.host });
  new Logger('Bootstrap').log(`worker started; health on port ${config.workerHealthPort}`);
});
