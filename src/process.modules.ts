import type { DynamicModule, Type } from '@nestjs/common';
import { HttpPipelineModule } from './http/http-pipeline.module.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/configuration.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import type { ProcessRole } from './config/process-role.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule } from './observability/metrics.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { RedisModule } from './redis/redis.module.js';

/**
 * The modules both processes are built on, with the role's feature modules among them: the
 * config this process parsed, the HTTP pipeline (its probes are HTTP too), MongoDB, Redis,
 * the queues as the role uses them, health and metrics.
 */
export function processModules(
  config: AppConfig,
  role: ProcessRole,
  features: (Type | DynamicModule)[],
): (Type | DynamicModule)[] {
  return [
    ConfigModule.forRoot(config),
    HttpPipelineModule,
    DatabaseModule,
    RedisModule,
    QueuesModule.forRoot(role),
    JobsModule,
    ...features,
    HealthModule,
    MetricsModule.forRoot(role),
  ];
}
