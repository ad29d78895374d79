import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bootOrExit } from './bootstrap.js';
import { WorkerModule } from './worker.module.js';

await bootOrExit(async () => {
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: ['error', 'warn', 'log'],
  });
  // SIGTERM/SIGINT close the modules (and their connections) in order, then the process exits.
  app.enableShutdownHooks();
  await app.init();
  new Logger('Bootstrap').log('worker started');
});
