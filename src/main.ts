import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { createApiApp } from './app.setup.js';
import { bootOrExit, enableGracefulShutdown } from './bootstrap.js';
import { superviseApiProcesses } from './cluster.js';

await bootOrExit(async (config) => {
  if (config.clusterWorkers > 1 && cluster.isPrimary) return superviseApiProcesses(config);
  const app = await createApiApp(config);
  enableGracefulShutdown(app, config);
  await app.listen({ port: config.port, host: config.host });
  const url = `http://127.0.0.1:${config.port}`;
  new Logger('Bootstrap').log(`API listening on ${url} — Swagger UI at ${url}/docs`);
});
