import {
  ConflictException,
  GoneException,
  Injectable,
  NotFoundException,
  StreamableFile,
} from '@nestjs/common';
import type { Owner } from '../auth/owner.js';
import { RetryLaterException } from '../common/retry-later.exception.js';
import { AppConfig } from '../config/configuration.js';
import { JobsProducer } from '../jobs/jobs.producer.js';
import { QUEUES } from '../queues/queues.constants.js';
import type { CreateExportDto, ExportAcceptedDto } from './dto/create-export.dto.js';
import { ExportFilesService } from './export-files.service.js';
import { EXPORT_RETRY_AFTER_SECONDS } from './export-job.js';
import type { ExportRecordDoc } from './export-record.schema.js';
import { ExportRecordsRepository } from './export-records.repository.js';
import type { ExportJobData } from '../jobs/job-catalogue.js';

/** Completed export jobs are trimmed after a day as every queue's are; the count is the setting. */
const COMPLETED_JOB_AGE_SECONDS = 24 * 3600;

/** Whether the export has ended: expired by the sweep, or past its end and not swept yet. */
export const hasExpired = (record: ExportRecordDoc, now = Date.now()): boolean =>
  record.state === 'expired' ||
  (record.expires_at !== undefined && record.expires_at.getTime() <= now);

@Injectable()
export class ExportsService {
  constructor(
    private readonly jobs: JobsProducer,
    private readonly files: ExportFilesService,
    private readonly records: ExportRecordsRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * Records the export (within the owner's limits) before its job is queued under the
   * record's id: the record, not the job, is what the download and the job view trust.
   */
  async request(owner: Owner, input: CreateExportDto): Promise<ExportAcceptedDto> {
    const limits = { running: this.config.exports.maxRunning, kept: this.config.exports.maxKept };
    const reserved = await this.records.reserve(owner.id, input.format, limits);
    if ('refused' in reserved) throw this.refusal(reserved.refused);
    const data: ExportJobData = { format: input.format, owner_id: owner.id };
    if (input.finished !== undefined) data.finished = input.finished;
    const id = reserved.record._id.toHexString();
    try {
      await this.jobs.enqueue('exports.build', data, {
        jobId: id,
        removeOnComplete: { age: COMPLETED_JOB_AGE_SECONDS, count: this.config.exports.jobsKept },
      });
    } catch (error) {
      await this.records.remove(reserved.record._id);
      throw error;
    }
    return {
      job_id: id,
      status_url: `/jobs/${QUEUES.exports}/${id}`,
      download_url: `/todos/exports/${id}/download`,
    };
  }

  private refusal(limit: 'running' | 'kept') {
    const { maxRunning, maxKept } = this.config.exports;
    return limit === 'running'
      ? new RetryLaterException(
          `at most ${maxRunning} exports of yours wait or run at once: try again when one has finished`,
          EXPORT_RETRY_AFTER_SECONDS,
        )
      : new ConflictException(
          `at most ${maxKept} exports of yours are kept: one must expire before another starts`,
        );
  }

  /**
   * The owner's finished export's file. Another owner's export is, for this one, no export:
   * 404 before anything of it is told. Ownership and state are the record's, and the file
   * must name the same owner: a file the record does not lead to is never served.
   *
   * `Accept` is disregarded, as RFC 9110 §12.5.1 allows: an export has one representation,
   * the format chosen when it was requested. Generated clients send the first JSON type a
   * response lists whatever file they are fetching; a 406 would leave them no way to save
   * a CSV export.
   */
  async download(owner: Owner, id: string): Promise<StreamableFile> {
    const record = await this.records.findOwned(owner.id, id);
    if (!record) throw new NotFoundException(`export ${id} not found`);
    if (hasExpired(record)) {
      throw new GoneException(`export ${id} expired: its file has been deleted`);
    }
    if (record.state !== 'completed' || !record.result || !record.file_id) {
      const state = record.state === 'failed' ? 'failed' : 'in flight';
      throw new ConflictException(`export ${id} is not finished (${state})`);
    }
    const stream = await this.files.open(record.file_id, owner.id);
    if (!stream) throw new NotFoundException(`the file of export ${id} no longer exists`);
    const { content_type, filename, bytes } = record.result;
    return new StreamableFile(stream, {
      type: content_type,
      disposition: `attachment; filename="${filename}"`,
      length: bytes,
    });
  }
}
