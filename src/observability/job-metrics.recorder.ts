import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import type { Job, Worker } from 'bullmq';
import { jobDuration, jobFailures } from './metrics.js';
import { MetricsService } from './metrics.service.js';

/** Job durations and failures, from the events of every processor's worker (worker only). */
@Injectable()
export class JobMetricsRecorder implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    const durations = jobDuration(this.metrics.registry);
    const failures = jobFailures(this.metrics.registry);
    for (const { instance } of this.discovery.getProviders()) {
      if (!(instance instanceof WorkerHost)) continue;
      const worker: Worker = (instance as WorkerHost).worker;
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
