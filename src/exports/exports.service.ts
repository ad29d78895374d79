import { InjectQueue } from '@nestjs/bullmq';
import { ConflictException, Injectable, NotFoundException, StreamableFile } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { holds, type Owner } from '../auth/owner.js';
import { addJob, withinDeadline } from '../queues/producer.js';
import { QUEUES } from '../queues/queues.constants.js';
import type { CreateExportDto, ExportAcceptedDto } from './dto/create-export.dto.js';
import { ExportFilesService } from './export-files.service.js';
import { EXPORT_JOB, type ExportJobData, type ExportJobResult } from './export-job.js';

@Injectable()
export class ExportsService {
  constructor(
    @InjectQueue(QUEUES.exports) private readonly queue: Queue<ExportJobData, ExportJobResult>,
    private readonly files: ExportFilesService,
  ) {}

  async request(owner: Owner, input: CreateExportDto): Promise<ExportAcceptedDto> {
    const data: ExportJobData = { format: input.format, owner_id: owner.id };
    if (owner.holdsOwnerless) data.holds_ownerless = true;
    if (input.finished !== undefined) data.finished = input.finished;
    const job = await addJob(this.queue, EXPORT_JOB, data);
    const id = String(job.id);
    return {
      job_id: id,
      status_url: `/jobs/${QUEUES.exports}/${id}`,
      download_url: `/todos/exports/${id}/download`,
    };
  }

  /**
   * The owner's finished export's file. Another owner's export is, for this one, no export:
   * 404 before its state is told.
   *
   * `Accept` is disregarded, as RFC 9110 §12.5.1 allows: an export has one representation,
   * the format chosen when it was requested. Generated clients send the first JSON type a
   * response lists whatever file they are fetching; a 406 would leave them no way to save
   * a CSV export.
   */
  async download(owner: Owner, id: string): Promise<StreamableFile> {
    // The owner first: another owner's export, finished or not, is a 404 like a missing one.
    const owned = await withinDeadline(this.queue.getJob(id), 'look up the export');
    if (!owned || !holds(owner, owned.data.owner_id)) throw this.notFound(id);
    // Then its state, then the job again: `completed` is final, so a job read after it carries
    // its result. Read the other way round, a job that completed between the reads has none.
    const state = await withinDeadline(this.queue.getJobState(id), 'look up the export');
    if (state === 'unknown') throw this.notFound(id);
    if (state !== 'completed')
      throw new ConflictException(`export ${id} is not finished (${state})`);
    const job = await withinDeadline(this.queue.getJob(id), 'look up the export');
    if (!job) throw this.notFound(id);
    // Still no result: the job was retried from the admin board between the two reads.
    const result = exportResult(job.returnvalue);
    if (!result) throw new ConflictException(`export ${id} is not finished (running again)`);
    const stream = await this.files.open(result.file_id);
    if (!stream) throw new NotFoundException(`the file of export ${id} no longer exists`);
    return new StreamableFile(stream, {
      type: result.content_type,
      disposition: `attachment; filename="${result.filename}"`,
      length: result.bytes,
    });
  }

  private notFound(id: string): NotFoundException {
    return new NotFoundException(`export ${id} not found`);
  }
}

/** The job's return value when it is an export's result (a retried job has none). */
function exportResult(value: unknown): ExportJobResult | undefined {
  const result = value as Partial<ExportJobResult> | null | undefined;
  return typeof result?.file_id === 'string' ? (result as ExportJobResult) : undefined;
}
