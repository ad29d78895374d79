import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module.js';
import type { AppConfig } from './config/configuration.js';
import { JobStatusModule } from './job-status/job-status.module.js';
import { processModules } from './process.modules.js';

/**
 * The API process: every feature in its API role (its routes; it adds jobs, never runs
 * them), and what only the API has: the job view, and the job dashboard, mounted only with
 * admin credentials.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: processModules(config, 'api', [
        JobStatusModule,
        ...(config.admin ? [AdminModule.register(config.admin)] : []),
      ]),
    };
  }
}
