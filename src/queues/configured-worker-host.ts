import { WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/configuration.js';

/**
 * A processor whose worker takes concurrency, lock and stalled-job settings from the
 * validated config. `@Processor()` options are fixed at import time, so processors are
 * declared with `autorun: false` and started here, once the config is known.
 */
export abstract class ConfiguredWorkerHost extends WorkerHost implements OnApplicationBootstrap {
  protected constructor(protected readonly config: AppConfig) {
    super();
  }

  // Async so subclasses can extend it with their own awaited start-up work.
  // eslint-disable-next-line @typescript-eslint/require-await
  async onApplicationBootstrap(): Promise<void> {
    const { worker, config } = this;
    worker.concurrency = config.workerConcurrency;
    worker.opts.lockDuration = config.workerLockMs;
    worker.opts.stalledInterval = config.workerStalledIntervalMs;
    worker.opts.maxStalledCount = config.workerMaxStalledCount;
    void worker.run();
  }
}
