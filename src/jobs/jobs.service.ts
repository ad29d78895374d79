import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, NotFoundException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { holds, type Owner } from '../auth/owner.js';
import { ExportJobViews } from '../exports/export-job-views.js';
import { withinDeadline } from '../queues/producer.js';
import { QUEUE_NAMES, QUEUES, type QueueName } from '../queues/queues.constants.js';
import type { JobViewDto } from './job-view.dto.js';

@Injectable()
export class JobsService {
  constructor(
    private readonly modules: ModuleRef,
    private readonly exports: ExportJobViews,
  ) {}

  /** The owner's job; another owner's (or one without an owner) is a 404 like a missing one. */
  async view(owner: Owner, queueName: string, id: string): Promise<JobViewDto> {
    if (!QUEUE_NAMES.includes(queueName as QueueName)) {
      throw new NotFoundException(`no queue named ${queueName}`);
    }
    // An export outlives its job, and its record, not the job, says whose it is.
    if (queueName === QUEUES.exports) return this.exports.view(owner, id);
    const queue = this.modules.get<Queue>(getQueueToken(queueName), { strict: false });
    // State first: a job read after it reached `completed` or `failed` is final, whereas a
    // job read first could retry meanwhile and pair an old attempt count with a newer state.
    const state = await withinDeadline(queue.getJobState(id), 'look up the job');
    const job =
      state === 'unknown' ? undefined : await withinDeadline(queue.getJob(id), 'look up the job');
    const data = job?.data as { owner_id?: unknown } | undefined;
    if (!job || !holds(owner, data?.owner_id)) {
      throw new NotFoundException(`no job ${id} in ${queueName}`);
    }
    const view: JobViewDto = {
      id,
      queue: queueName,
      state,
      progress: typeof job.progress === 'number' ? job.progress : 0,
      attempts_made: job.attemptsMade,
    };
    // null when the job was retried from the admin board between the two reads.
    if (state === 'completed') view.result = (job.returnvalue as unknown) ?? null;
    if (state === 'failed') view.failed_reason = job.failedReason;
    return view;
  }
}
