import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { forRoles, only, type ProcessRole } from '../config/process-role.js';
import { JobSteps } from './job-steps.js';
import { JOB_QUEUES_PROVIDER, JobsProducer } from './jobs.producer.js';
import { JobsWorker } from './jobs.worker.js';
import { MaintenanceJob } from './maintenance.job.js';
import { OwnerJobs } from './owner-jobs.js';

/**
 * The jobs layer. Both processes: the producer every feature adds its jobs with (global).
 * The worker: the dispatcher (`JobsWorker`, which finds the @OnJob handlers), the steps
 * registry the stepped jobs run (global, so a feature's handler injects it), the
 * maintenance job and the layer's own step of deleting an account (its queued jobs).
 */
@Module({})
export class JobsModule {
  private static readonly build = forRoles(JobsModule, (role) => ({
    global: true,
    imports: only('worker', role, [DiscoveryModule]),
    providers: [
      JOB_QUEUES_PROVIDER,
      JobsProducer,
      ...only('worker', role, [JobsWorker, JobSteps, MaintenanceJob, OwnerJobs]),
    ],
    exports: [JobsProducer, ...only('worker', role, [JobSteps])],
  }));

  static forRole(role: ProcessRole) {
    return JobsModule.build(role);
  }
}
