import { Processor } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/configuration.js';
import { ConfiguredWorkerHost } from '../queues/configured-worker-host.js';
import { QUEUES } from '../queues/queues.constants.js';
import { ExportFilesService } from './export-files.service.js';
import type { ExportJobData, ExportJobResult } from './export-job.js';
import { ExportRecordsRepository } from './export-records.repository.js';

/**
 * Streams the matching todos into the export's one GridFS file, reporting progress, and
 * settles the export's record. The record decides: a job whose export is not in flight (it
 * expired, its account was deleted, or the job came back with a restored Redis) writes
 * nothing, and a file written for an export that ended meanwhile is deleted again.
 */
@Processor(QUEUES.exports, { autorun: false })
export class ExportsProcessor extends ConfiguredWorkerHost {
  constructor(
    private readonly files: ExportFilesService,
    private readonly records: ExportRecordsRepository,
    config: AppConfig,
  ) {
    super(config);
  }

  async process(job: Job<ExportJobData, ExportJobResult>): Promise<ExportJobResult> {
    const jobId = String(job.id);
    const record = await this.records.findInFlight(jobId);
    if (!record || record.owner_id.toHexString() !== job.data.owner_id) {
      throw new UnrecoverableError(`export ${jobId} is not in flight: nothing to write`);
    }
    try {
      const written = await this.files.write(
        { jobId, fileId: record.file_id },
        job.data,
        (percent) => job.updateProgress(percent),
      );
      const expiresAt = new Date(Date.now() + this.config.exports.ttlMs);
      const result = { ...written, expires_at: expiresAt.toISOString() };
      const outcome = { state: 'completed' as const, result };
      if (await this.records.settle(record._id, outcome, job.attemptsMade + 1, expiresAt)) {
        return result;
      }
      // Not in flight any more. Another run of this job (one taken over as stalled) may have
      // completed it: the file is the one its record leads to, and stays. Otherwise the export
      // expired or its account went meanwhile, and the file must not outlive it.
      const now = await this.records.findOwned(record.owner_id.toHexString(), jobId);
      if (now?.state === 'completed' && now.result) return now.result;
      await this.files.remove(record.file_id);
      throw new UnrecoverableError(`export ${jobId} ended while its file was written`);
    } catch (error) {
      if (error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        // The last attempt: the export fails, freeing its owner's slots.
        const reason = error instanceof Error ? error.message : String(error);
        const keptUntil = new Date(Date.now() + this.config.exports.ttlMs);
        const outcome = { state: 'failed' as const, failed_reason: reason };
        await this.records.settle(record._id, outcome, job.attemptsMade + 1, keptUntil);
      }
      throw error;
    }
  }
}
