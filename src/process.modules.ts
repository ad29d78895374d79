import type { DynamicModule, Type } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { ResponseCacheModule } from './cache/cache.module.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/configuration.js';
import type { ProcessRole } from './config/process-role.js';
import { DatabaseModule } from './database/database.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { HealthModule } from './health/health.module.js';
import { HttpPipelineModule } from './http/http-pipeline.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule } from './observability/metrics.module.js';
import { OriginalModule } from './original/original.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { RedisModule } from './redis/redis.module.js';
import { TodosModule } from './todos/todos.module.js';

/**
 * What both processes are built of: the config this process parsed, the HTTP pipeline (the
 * worker's probes are HTTP too), MongoDB, Redis, the queues and the jobs layer, every feature
 * module given the process's role (each says, in its one module, what the API and what the
 * worker has of it), health and metrics. `extra` is what only one process has.
 */
export function processModules(
  config: AppConfig,
  role: ProcessRole,
  extra: (Type | DynamicModule)[] = [],
): (Type | DynamicModule)[] {
  return [
    ConfigModule.forRoot(config),
    HttpPipelineModule,
    DatabaseModule,
    RedisModule,
    QueuesModule.forRoot(role),
    JobsModule.forRole(role),
    AuthModule.forRole(role),
    TodosModule.forRole(role),
    ExportsModule.forRole(role),
    OriginalModule.forRole(role),
    // Features without a role of their own; in the worker, for their steps of deleting an
    // account (idempotency records, cached answers).
    IdempotencyModule,
    ResponseCacheModule,
    ...extra,
    HealthModule,
    MetricsModule.forRoot(role),
  ];
}
