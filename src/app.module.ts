import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module.js';
import { AuthModule } from './auth/auth.module.js';
import type { AppConfig } from './config/configuration.js';
import { ExportsModule } from './exports/exports.module.js';
import { JobStatusModule } from './job-status/job-status.module.js';
import { OriginalModule } from './original/original.module.js';
import { processModules } from './process.modules.js';
import { TodosModule } from './todos/todos.module.js';

/** The API process: HTTP routes over the shared modules; it adds jobs, never runs them. */
@Module({})
export class AppModule {
  /** Built from the parsed config; the job dashboard is mounted only with admin credentials. */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: processModules(config, 'api', [
        AuthModule,
        TodosModule,
        OriginalModule.forRole('api'),
        ExportsModule,
        JobStatusModule,
        ...(config.admin ? [AdminModule.register(config.admin)] : []),
      ]),
    };
  }
}
