import type { ProcessRole } from '../config/process-role.js';
import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';
import { redisOptions } from '../redis/redis.module.js';
import { QUEUE_NAMES } from './queues.constants.js';

/**
 * BullMQ connection, defaults and queues. The API's connections (it only produces) fail fast: no
 * offline queue and one try per command, so a request never waits on an absent Redis.
 * `worker` connections retry for ever, as BullMQ requires for blocking commands.
 */
@Module({})
export class QueuesModule {
  static forRoot(role: ProcessRole): DynamicModule {
    return {
      module: QueuesModule,
      // Global: producers in any feature module inject their queue with @InjectQueue.
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            prefix: config.queuePrefix,
            connection: {
              ...redisOptions(config.redisUrl),
              ...(role === 'api'
                ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1_000 }
                : { maxRetriesPerRequest: null }),
              retryStrategy: (times: number) => Math.min(times * 100, 1_000),
            },
            defaultJobOptions: {
              attempts: config.jobAttempts,
              backoff: { type: 'exponential', delay: config.jobBackoffMs },
              // Completed jobs are trimmed; failed ones stay for inspection.
              removeOnComplete: { age: 24 * 3600, count: 1_000 },
              removeOnFail: false,
            },
          }),
        }),
        ...QUEUE_NAMES.map((name) => BullModule.registerQueue({ name })),
      ],
      exports: [BullModule],
    };
  }
}
