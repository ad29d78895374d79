import { Injectable } from '@nestjs/common';
import type { JobType, Queue } from 'bullmq';
import { OWNED_JOBS, type AccountDeletionJobData } from './job-catalogue.js';
import { OnAccountDeleted, type StepRun } from './job-steps.js';
import { JobsProducer } from './jobs.producer.js';

const BATCH = 1_000;
/** The states a job can be removed in; an active job is locked by the worker running it. */
const REMOVABLE: JobType[] = [
  'waiting',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
];

/**
 * The layer's part of deleting an account: the account's queued and finished jobs. One still
 * running (an export writing a file) is left to finish, and the deletion runs again later.
 */
@Injectable()
export class OwnerJobs {
  constructor(private readonly jobs: JobsProducer) {}

  @OnAccountDeleted(20)
  async accountDeleted({ owner_id }: AccountDeletionJobData, run: StepRun) {
    let jobs = 0;
    for (const name of OWNED_JOBS)
      jobs += await this.removeJobs(this.jobs.queueOf(name), owner_id, run);
    return { jobs };
  }

  private async removeJobs(queue: Queue, ownerId: string, run: StepRun): Promise<number> {
    for (const id of await this.jobsOf(queue, ownerId, ['active'])) {
      run.retryLater(`${queue.name}/${id}`);
    }
    let removed = 0;
    // Listed whole before any removal, which would shift the pages.
    for (const id of await this.jobsOf(queue, ownerId, REMOVABLE)) {
      removed += await queue.remove(id);
    }
    return removed;
  }

  private async jobsOf(queue: Queue, ownerId: string, types: JobType[]): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; ; start += BATCH) {
      const jobs = await queue.getJobs(types, start, start + BATCH - 1, true);
      for (const found of jobs) {
        const data = found.data as { owner_id?: unknown } | undefined;
        if (data?.owner_id === ownerId && found.id !== undefined) ids.push(found.id);
      }
      if (jobs.length < BATCH) return ids;
    }
  }
}
