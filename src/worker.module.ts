import { type DynamicModule, Module } from '@nestjs/common';
import { AuthWorkerModule } from './auth/auth-worker.module.js';
import type { AppConfig } from './config/configuration.js';
import { ExportsWorkerModule } from './exports/exports-worker.module.js';
import { OriginalModule } from './original/original.module.js';
import { JobsWorkerModule } from './jobs/jobs-worker.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { ResponseCacheModule } from './cache/cache.module.js';
import { processModules } from './process.modules.js';
import { TodosWorkerModule } from './todos/todos-worker.module.js';

/** The worker process: the job handlers, and probes and metrics on its own small port. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: processModules(config, 'worker', [
        AuthWorkerModule,
        ExportsWorkerModule,
        TodosWorkerModule,
        OriginalModule.forRole('worker'),
        // Their part of deleting an account.
        IdempotencyModule,
        ResponseCacheModule,
        // The dispatcher, which finds every feature's @OnJob handlers and runs the queues'
        // workers, and the layer's own jobs and steps.
        JobsWorkerModule,
      ]),
    };
  }
}
