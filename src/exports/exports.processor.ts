import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { AppConfig } from '../config/configuration.js';
import { ConfiguredWorkerHost } from '../queues/configured-worker-host.js';
import { QUEUES } from '../queues/queues.constants.js';
import { ExportFilesService } from './export-files.service.js';
import type { ExportJobData, ExportJobResult } from './export-job.js';

/** Streams the matching todos into one GridFS file per job, reporting progress. */
@Processor(QUEUES.exports, { autorun: false })
export class ExportsProcessor extends ConfiguredWorkerHost {
  constructor(
    private readonly files: ExportFilesService,
    config: AppConfig,
  ) {
    super(config);
  }

  process(job: Job<ExportJobData, ExportJobResult>): Promise<ExportJobResult> {
    return this.files.write(String(job.id), job.data, (percent) => job.updateProgress(percent));
  }
}
