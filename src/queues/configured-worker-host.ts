import { WorkerHost } from '@nestjs/bullmq';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/configuration.js';

/**
 * A processor whose worker takes concurrency, lock and stalled-job settings from the
 * validated config. `@Processor()` options are fixed at import time, so processors are
 * declared with `autorun: false` and started here, once the config is known.
 */
export abstract class ConfiguredWorkerHost
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
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

  /**
   * Lets the active jobs finish before any connection closes. @nestjs/bullmq closes workers
   * in `onApplicationShutdown`, the same phase in which Mongoose closes its connection, in an
   * order that depends on how deep each module sits in the import graph: a job could lose
   * MongoDB under its last writes and be retried. `close()` again later is a no-op.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
