import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';
import { DAY_MS } from '../common/time.js';
import { ExportFilesService } from './export-files.service.js';
import type { ExportRecordDoc } from './export-record.schema.js';
import { ExportRecordsRepository } from './export-records.repository.js';
import type { AccountDeletionJobData, ExportsSweep } from '../jobs/job-catalogue.js';
import { OnAccountDeleted, OnMaintenance } from '../jobs/job-steps.js';
import { JobsProducer } from '../jobs/jobs.producer.js';

const BATCH = 1_000;
/** An export in flight this long whose job is gone (a lost or restored Redis) has failed. */
const ABANDONED_AFTER_MS = 10 * 60_000;
/** How long an expired export's record stays, so its download answers 410 rather than 404. */
const EXPIRED_RECORD_KEPT_MS = 30 * DAY_MS;

/** Every file an export's attempts may have left, the kept one included. */
const filesOf = (record: ExportRecordDoc): string[] => [
  ...new Set([...(record.attempt_files ?? []), ...(record.file_id ? [record.file_id] : [])]),
];

/**
 * The exports' part of the maintenance job: deletes the files of exports past their end
 * (EXPORT_TTL_HOURS after they finished), fails in-flight exports whose job is gone, deletes
 * files no kept export leads to (one written for an export that ended meanwhile, or from
 * before exports had records), and forgets long-expired records.
 */
@Injectable()
export class ExportsExpiry {
  private readonly logger = new Logger(ExportsExpiry.name);

  constructor(
    private readonly records: ExportRecordsRepository,
    private readonly files: ExportFilesService,
    private readonly jobs: JobsProducer,
    private readonly config: AppConfig,
  ) {}

  @OnMaintenance(20)
  async maintain(): Promise<{ exports: ExportsSweep }> {
    const exports = await this.sweep();
    if (exports.expired > 0) this.logger.log(`expired ${exports.expired} exports`);
    return { exports };
  }

  /**
   * The exports' part of deleting an account. The records first: an export still running
   * then finds its record gone and deletes the file it wrote, and none of the owner's exports
   * can be downloaded from here on.
   */
  @OnAccountDeleted(30)
  async accountDeleted({ owner_id }: AccountDeletionJobData): Promise<{ export_files: number }> {
    await this.records.removeOwnedBy(owner_id);
    return { export_files: await this.files.removeOwnedBy(owner_id) };
  }

  async sweep(now = new Date()): Promise<ExportsSweep> {
    return {
      expired: await this.expireDue(now),
      abandoned: await this.failAbandoned(now),
      stray_files: await this.removeStrayFiles(now),
      records_deleted: await this.records.removeExpiredBefore(
        new Date(now.getTime() - EXPIRED_RECORD_KEPT_MS),
      ),
    };
  }

  private async expireDue(now: Date): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.records.due(now, BATCH);
      for (const record of due) {
        // The files first: a crash in between leaves a record to expire again, not a file.
        for (const file of filesOf(record)) await this.files.remove(file);
        if (await this.records.expire(record._id, record.state)) expired++;
      }
      if (due.length < BATCH) return expired;
    }
  }

  private async failAbandoned(now: Date): Promise<number> {
    const since = new Date(now.getTime() - ABANDONED_AFTER_MS);
    let abandoned = 0;
    for (const record of await this.records.inFlightSince(since, BATCH)) {
      const state = await this.jobs.stateOf('exports.build', record._id.toHexString());
      // `failed` is final (a retry waits as `delayed`): its last attempt died before settling.
      if (state !== 'unknown' && state !== 'failed') continue;
      const outcome = { state: 'failed' as const, failed_reason: `its job is gone (${state})` };
      const keptUntil = new Date(now.getTime() + this.config.exports.ttlMs);
      if (await this.records.settle(record._id, outcome, record.attempts_made ?? 0, keptUntil)) {
        abandoned++;
      }
    }
    return abandoned;
  }

  /** Files uploaded longer ago than an export is kept, which no kept export leads to. */
  private async removeStrayFiles(now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.config.exports.ttlMs);
    let removed = 0;
    for (const fileId of await this.files.uploadedBefore(before, BATCH)) {
      if (await this.records.keepsFile(fileId)) continue;
      await this.files.remove(fileId);
      removed++;
    }
    return removed;
  }
}
