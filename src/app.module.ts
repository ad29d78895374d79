import { Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { HealthModule } from './health/health.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { TodosModule } from './todos/todos.module.js';

/** The API process: HTTP routes over the shared modules; it adds jobs, never runs them. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    QueuesModule.forRoot('producer'),
    TodosModule,
    ExportsModule,
    JobsModule,
    HealthModule,
  ],
})
export class AppModule {}
