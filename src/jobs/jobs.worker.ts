import {
  type BeforeApplicationShutdown,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Worker } from 'bullmq';
import { AppConfig } from '../config/configuration.js';
import { QUEUE_NAMES } from '../queues/queues.constants.js';
import { JOBS, MAINTENANCE_SCHEDULER_ID } from './job-catalogue.js';
import { dispatcher, findHandlers, handlerMap } from './job-handlers.js';
import { JobsProducer } from './jobs.producer.js';

/**
 * The worker process's side of the layer: one BullMQ `Worker` per queue, dispatching each job
 * to the `@OnJob` handler of its name. The handlers are checked when the modules are
 * initialised, before any worker runs: a catalogued name with no handler or two stops the
 * boot. Worker settings come from the validated config, known only at run time.
 */
@Injectable()
export class JobsWorker implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly workers: Worker[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly producer: JobsProducer,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const instances = this.discovery.getProviders().map((wrapper) => wrapper.instance as unknown);
    const handlers = handlerMap(findHandlers(instances));
    const { config } = this;
    for (const name of QUEUE_NAMES) {
      const queue = this.producer.queueNamed(name);
      if (!queue) continue;
      this.workers.push(
        new Worker(name, dispatcher(name, handlers), {
          connection: queue.opts.connection,
          prefix: queue.opts.prefix,
          autorun: false,
          concurrency: config.workerConcurrency,
          lockDuration: config.workerLockMs,
          stalledInterval: config.workerStalledIntervalMs,
          maxStalledCount: config.workerMaxStalledCount,
        }),
      );
    }
  }

  /** Runs the workers, and (re)declares the maintenance job's schedule. */
  async onApplicationBootstrap(): Promise<void> {
    for (const worker of this.workers) void worker.run();
    await this.producer
      .queueOf('maintenance.run')
      .upsertJobScheduler(
        MAINTENANCE_SCHEDULER_ID,
        { every: this.config.maintenanceIntervalMs },
        { name: 'maintenance.run' satisfies keyof typeof JOBS },
      );
  }

  /**
   * Lets the active jobs finish before any connection closes. Nest closes Mongoose's
   * connection in `onApplicationShutdown`, in an order that depends on how deep each module
   * sits in the import graph: a job could lose MongoDB under its last writes and be retried.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
