import { Injectable, NotFoundException } from '@nestjs/common';
import { holds, type Owner } from '../auth/owner.js';
import { ExportJobViews } from '../exports/export-job-views.js';
import { jobViewOf, readJob, type JobView } from '../jobs/job-read.js';
import { JobsProducer } from '../jobs/jobs.producer.js';
import { QUEUES } from '../queues/queues.constants.js';

/** `GET /jobs/{queue}/{id}`: a job's status, to its owner only. */
@Injectable()
export class JobStatusService {
  constructor(
    private readonly jobs: JobsProducer,
    private readonly exports: ExportJobViews,
  ) {}

  /** The owner's job; another owner's (or one without an owner) is a 404 like a missing one. */
  async view(owner: Owner, queueName: string, id: string): Promise<JobView> {
    const queue = this.jobs.queueNamed(queueName);
    if (!queue) throw new NotFoundException(`no queue named ${queueName}`);
    // An export outlives its job, and its record, not the job, says whose it is.
    if (queueName === QUEUES.exports) return this.exports.view(owner, id);
    const { state, job } = await readJob(queue, id);
    const data = job?.data as { owner_id?: unknown } | undefined;
    if (!job || !holds(owner, data?.owner_id)) {
      throw new NotFoundException(`no job ${id} in ${queueName}`);
    }
    return jobViewOf(queueName, id, state, job);
  }
}
