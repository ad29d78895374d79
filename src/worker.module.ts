import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './config/configuration.js';
import { processModules } from './process.modules.js';

/**
 * The worker process: every feature in its worker role (the job handlers and steps, which
 * the jobs layer's `JobsWorker` finds and runs), and probes and metrics on its own small port.
 */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: processModules(config, 'worker') };
  }
}
