import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/configuration.js';
import type { ExportJobData, ExportJobResult } from '../jobs/job-catalogue.js';
import { OnJob } from '../jobs/on-job.decorator.js';
import { ExportFilesService } from './export-files.service.js';
import type { ExportRecordDoc } from './export-record.schema.js';
import { ExportRecordsRepository } from './export-records.repository.js';

/**
 * Streams the matching todos into a GridFS file of this attempt's own, reporting progress,
 * and settles the export's record with it. The record decides: a job whose export is not in
 * flight (it expired, its account was deleted, or the job came back with a restored Redis)
 * writes nothing; the first attempt to finish wins, and every other attempt's file, whole or
 * partial (a run killed, or taken over as stalled while it still wrote), is deleted.
 */
@Injectable()
export class ExportsProcessor {
  constructor(
    private readonly files: ExportFilesService,
    private readonly records: ExportRecordsRepository,
    private readonly config: AppConfig,
  ) {}

  @OnJob('exports.build')
  async process(job: Job<ExportJobData, ExportJobResult>): Promise<ExportJobResult> {
    const jobId = String(job.id);
    const record = await this.records.findInFlight(jobId);
    const fileId = `export-${jobId}-${randomBytes(6).toString('hex')}`;
    if (
      !record ||
      record.owner_id.toHexString() !== job.data.owner_id ||
      !(await this.records.addAttempt(record._id, fileId))
    ) {
      return this.settledBefore(job);
    }
    try {
      const written = await this.files.write({ jobId, fileId }, job.data, (percent) =>
        job.updateProgress(percent),
      );
      const expiresAt = new Date(Date.now() + this.config.exports.ttlMs);
      const result = { ...written, expires_at: expiresAt.toISOString() };
      const outcome = { state: 'completed' as const, result };
      const settled = await this.records.settle(
        record._id,
        outcome,
        job.attemptsMade + 1,
        expiresAt,
      );
      const now = await this.records.findOwned(record.owner_id.toHexString(), jobId);
      await this.removeAttempts(now, fileId);
      if (settled) return result;
      // Another run of this job completed the export first: its file is the one kept.
      if (now?.state === 'completed' && now.result) return now.result;
      throw new UnrecoverableError(`export ${jobId} ended while its file was written`);
    } catch (error) {
      if (error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await this.fail(record, job, error, fileId);
      }
      throw error;
    }
  }

  /**
   * A run of a job whose export is not in flight. A run killed after it settled the export
   * but before it deleted the other attempts' files comes back as stalled: this run deletes
   * them, and the job of a completed export completes with its result. Anything else (the
   * export expired or is gone, its account was deleted, another owner's) writes nothing.
   */
  private async settledBefore(job: Job<ExportJobData, ExportJobResult>): Promise<ExportJobResult> {
    const jobId = String(job.id);
    const owner = job.data.owner_id;
    const record = owner === undefined ? null : await this.records.findOwned(owner, jobId);
    if (record && record.state !== 'in_flight') await this.removeAttempts(record, undefined);
    if (record?.state === 'completed' && record.result) return record.result;
    throw new UnrecoverableError(`export ${jobId} is not in flight: nothing to write`);
  }

  /** The last attempt failed: the export fails, freeing its owner's slots and its files. */
  private async fail(
    record: ExportRecordDoc,
    job: Job,
    error: unknown,
    fileId: string,
  ): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    const keptUntil = new Date(Date.now() + this.config.exports.ttlMs);
    const outcome = { state: 'failed' as const, failed_reason: reason };
    await this.records.settle(record._id, outcome, job.attemptsMade + 1, keptUntil);
    const now = await this.records.findOwned(record.owner_id.toHexString(), String(job.id));
    await this.removeAttempts(now, fileId);
  }

  /**
   * Deletes every file the export's attempts wrote but the one a completed export keeps; with
   * no record left (the account was deleted meanwhile), this attempt's own.
   */
  private async removeAttempts(record: ExportRecordDoc | null, own: string | undefined) {
    const kept = record?.state === 'completed' ? record.file_id : undefined;
    const written = record ? (record.attempt_files ?? []) : own ? [own] : [];
    for (const file of written) if (file !== kept) await this.files.remove(file);
  }
}
