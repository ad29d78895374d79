import { Injectable } from '@nestjs/common';
import type { MaintenanceResult } from './job-catalogue.js';
import { JobSteps } from './job-steps.js';
import { OnJob } from './on-job.decorator.js';

const NO_SWEEP = { expired: 0, abandoned: 0, stray_files: 0, records_deleted: 0 };

/**
 * The maintenance job, on the repeatable schedule the worker declares at boot: each
 * feature's `@OnMaintenance` step, in order (ended sessions, expired exports, old finished
 * todos). A step that throws fails the run; the next run does it all again.
 */
@Injectable()
export class MaintenanceJob {
  constructor(private readonly steps: JobSteps) {}

  @OnJob('maintenance.run')
  async run(): Promise<MaintenanceResult> {
    const { result } = await this.steps.run('maintenance.run', {});
    return { deleted: 0, sessions_deleted: 0, exports: NO_SWEEP, ...result };
  }
}
