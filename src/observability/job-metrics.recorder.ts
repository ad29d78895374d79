import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Job } from 'bullmq';
import { JobsWorker } from '../jobs/jobs.worker.js';
import { jobDuration, jobFailures } from './metrics.js';
import { MetricsService } from './metrics.service.js';

/** Job durations and failures, from the events of every queue's worker (worker process only). */
@Injectable()
export class JobMetricsRecorder implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    const durations = jobDuration(this.metrics.registry);
    const failures = jobFailures(this.metrics.registry);
    const workers = this.discovery
      .getProviders()
      .flatMap(({ instance }) => (instance instanceof JobsWorker ? instance.workers : []));
    for (const worker of workers) {
      const seconds = (job: { processedOn?: number; finishedOn?: number }) =>
        ((job.finishedOn ?? Date.now()) - (job.processedOn ?? Date.now())) / 1000;
      worker.on('completed', (job: Job) =>
        durations.observe({ queue: worker.name, outcome: 'completed' }, seconds(job)),
      );
      worker.on('failed', (job: Job | undefined) => {
        failures.inc({ queue: worker.name });
        if (job) durations.observe({ queue: worker.name, outcome: 'failed' }, seconds(job));
      });
    }
  }
}
