import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobSteps } from './job-steps.js';
import { JobsWorker } from './jobs.worker.js';
import { MaintenanceJob } from './maintenance.job.js';
import { OwnerJobs } from './owner-jobs.js';

/**
 * The layer in the worker process only: the dispatcher (`JobsWorker`), the steps registry the
 * stepped jobs' handlers run (global, so a feature's handler injects it), the maintenance job
 * and the layer's own step of deleting an account.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [JobsWorker, JobSteps, MaintenanceJob, OwnerJobs],
  exports: [JobSteps],
})
export class JobsWorkerModule {}
