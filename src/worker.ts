import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bootOrExit, enableGracefulShutdown } from './bootstrap.js';
import { WorkerModule } from './worker.module.js';

await bootOrExit(async () => {
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: ['error', 'warn', 'log'],
  });
  enableGracefulShutdown(app);
  await app.init();
  new Logger('Bootstrap').log('worker started');
});
