import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, NotFoundException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { holds, type Owner } from '../auth/owner.js';
import { ExportJobViews } from '../exports/export-job-views.js';
import { QUEUE_NAMES, QUEUES, type QueueName } from '../queues/queues.constants.js';
import { jobViewOf, readJob } from './job-read.js';
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
    const { state, job } = await readJob(queue, id);
    const data = job?.data as { owner_id?: unknown } | undefined;
    if (!job || !holds(owner, data?.owner_id)) {
      throw new NotFoundException(`no job ${id} in ${queueName}`);
    }
    return jobViewOf(queueName, id, state, job);
  }
}
