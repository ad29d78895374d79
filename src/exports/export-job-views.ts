import { Injectable, NotFoundException } from '@nestjs/common';
import type { Owner } from '../auth/owner.js';
import { jobViewOf, readJob, type JobView } from '../jobs/job-read.js';
import { JobsProducer } from '../jobs/jobs.producer.js';
import { QUEUES } from '../queues/queues.constants.js';
import { ExportRecordsRepository } from './export-records.repository.js';
import { hasExpired } from './exports.service.js';

/**
 * The job view of an export, for `GET /jobs/exports/{id}`. Whose it is comes from its record,
 * never from a job Redis holds (restored, or another deployment's); a settled export is
 * answered from the record too, so BullMQ trimming its job changes nothing.
 */
@Injectable()
export class ExportJobViews {
  constructor(
    private readonly records: ExportRecordsRepository,
    private readonly jobs: JobsProducer,
  ) {}

  async view(owner: Owner, id: string): Promise<JobView> {
    const record = await this.records.findOwned(owner.id, id);
    if (!record) throw new NotFoundException(`no job ${id} in ${QUEUES.exports}`);
    const base = { id, queue: QUEUES.exports, attempts_made: record.attempts_made ?? 0 };
    if (hasExpired(record)) return { ...base, state: 'expired', progress: record.result ? 100 : 0 };
    if (record.state === 'completed') {
      return { ...base, state: 'completed', progress: 100, result: record.result ?? null };
    }
    if (record.state === 'failed') {
      return { ...base, state: 'failed', progress: 0, failed_reason: record.failed_reason };
    }
    // In flight: the job tells how far it is.
    const { state, job } = await readJob(this.jobs.queueOf('exports.build'), id);
    return job
      ? jobViewOf(QUEUES.exports, id, state, job)
      : { ...base, state, progress: 0, attempts_made: 0 };
  }
}
