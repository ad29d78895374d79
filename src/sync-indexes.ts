import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { AUTH_MODELS } from './auth/auth.module.js';
import { bootOrExit, oneOffModule } from './bootstrap.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/configuration.js';
import { DatabaseModule } from './database/database.module.js';
import { ensureGridFsIndexes, syncAllIndexes } from './database/index-sync.js';
import { EXPORTS_BUCKET } from './exports/export-files.service.js';
import { EXPORT_MODELS } from './exports/exports.module.js';
import { createRootLogger, PinoLoggerService } from './observability/logging.js';
import { TODO_MODELS } from './todos/todos.module.js';

/**
 * `node dist/sync-indexes.js`: creates the collections and the indexes every schema declares,
 * drops the ones no schema declares any more, creates the export files' GridFS indexes, then
 * exits 0 — the one-off (a Kubernetes Job, a compose service) that stands in for Mongoose's
 * `autoIndex`, which is off in production. Safe to run again and beside running replicas.
 */
const modules = (config: AppConfig) =>
  oneOffModule([
    // The sync builds the indexes itself; the connection must not build them at boot too.
    ConfigModule.forRoot({ ...config, mongodbAutoIndex: false }),
    DatabaseModule,
    // Every feature's models: the sync covers exactly what the processes use.
    MongooseModule.forFeature([...TODO_MODELS, ...AUTH_MODELS, ...EXPORT_MODELS]),
  ]);

await bootOrExit(async (config) => {
  const logger = new Logger('SyncIndexes');
  const app = await NestFactory.createApplicationContext(modules(config), {
    logger: new PinoLoggerService(createRootLogger(config.logLevel)),
    // Errors reach bootOrExit (one line, exit 1) instead of Nest's own exit.
    abortOnError: false,
  });
  try {
    const connection = app.get<Connection>(getConnectionToken());
    const results = [
      ...(await syncAllIndexes(connection)),
      ...(await ensureGridFsIndexes(connection, EXPORTS_BUCKET)),
    ];
    for (const result of results) {
      const { collection, created, dropped, indexes } = result;
      const list = (names: string[]) => (names.length > 0 ? names.join(', ') : 'none');
      logger.log(
        `${collection}: created ${list(created)}; dropped ${list(dropped)}; now ${indexes.join(', ')}`,
      );
    }
  } finally {
    await app.close();
  }
}, 'Index sync failed');
