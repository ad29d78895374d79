import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApiApp } from './app.setup.js';
import { bootOrExit, enableGracefulShutdown } from './bootstrap.js';

await bootOrExit(async (config) => {
  const app = await createApiApp();
  enableGracefulShutdown(app, config);
  await app.listen({ port: config.port, host: config.host });
  const url = `http://127.0.0.1:${config.port}`;
  new Logger('Bootstrap').log(`API listening on ${url} — Swagger UI at ${url}/docs`);
});
