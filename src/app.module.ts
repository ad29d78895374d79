import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/configuration.js';
import { DatabaseModule } from './database/database.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { HealthModule } from './health/health.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule } from './observability/metrics.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { TodosModule } from './todos/todos.module.js';

/** The API process: HTTP routes over the shared modules; it adds jobs, never runs them. */
@Module({})
export class AppModule {
  /** The job dashboard is mounted only when admin credentials are configured. */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule,
        DatabaseModule,
        QueuesModule.forRoot('producer'),
        TodosModule,
        ExportsModule,
        JobsModule,
        HealthModule,
        MetricsModule.forRoot('api'),
        ...(config.admin ? [AdminModule.register(config.admin)] : []),
      ],
    };
  }
}
