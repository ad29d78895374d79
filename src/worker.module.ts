import { Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './observability/metrics.module.js';
import { ProcessorsModule } from './queues/processors/processors.module.js';
import { QueuesModule } from './queues/queues.module.js';

/** The worker process: the queue processors, and probes and metrics on its own small port. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    QueuesModule.forRoot('worker'),
    ProcessorsModule,
    HealthModule,
    MetricsModule.forRoot('worker'),
  ],
})
export class WorkerModule {}
