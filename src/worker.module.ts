import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuthWorkerModule } from './auth/auth-worker.module.js';
import type { AppConfig } from './config/configuration.js';
import { ExportsWorkerModule } from './exports/exports-worker.module.js';
import { JobsWorker } from './jobs/jobs.worker.js';
import { processModules } from './process.modules.js';
import { RemindersWorkerModule } from './reminders/reminders-worker.module.js';
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
        RemindersWorkerModule,
        TodosWorkerModule,
        DiscoveryModule,
      ]),
      // The dispatcher: finds every feature's @OnJob handlers and runs the queues' workers.
      providers: [JobsWorker],
    };
  }
}
