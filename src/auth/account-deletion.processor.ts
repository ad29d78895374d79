import { Injectable, Logger } from '@nestjs/common';
import type { Job, JobType, Queue } from 'bullmq';
import { ResponseCache } from '../cache/response-cache.service.js';
import { ExportFilesService } from '../exports/export-files.service.js';
import { ExportRecordsRepository } from '../exports/export-records.repository.js';
import { IdempotencyStore } from '../idempotency/idempotency.store.js';
import type { AccountDeletionJobData, AccountDeletionResult } from '../jobs/job-catalogue.js';
import { JobsProducer } from '../jobs/jobs.producer.js';
import { OnJob } from '../jobs/on-job.decorator.js';
import { TodosRepository } from '../todos/todos.repository.js';
import { AccessTokens } from './access-tokens.service.js';
import { UsersRepository } from './users.repository.js';

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
 * Deletes what a deleted account left, each store through its one writer: its sessions and
 * tokens again (one made while the account was being deleted), its queued and finished jobs,
 * its export files, its todos, its idempotency answers. Idempotent, so a retry after a
 * crash finishes the work. An export of the account still running would write a file after
 * this: the job fails then, and its retry (with backoff) deletes what it left.
 */
@Injectable()
export class AccountDeletionProcessor {
  private readonly logger = new Logger(AccountDeletionProcessor.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: AccessTokens,
    private readonly todos: TodosRepository,
    private readonly files: ExportFilesService,
    private readonly exportRecords: ExportRecordsRepository,
    private readonly idempotency: IdempotencyStore,
    private readonly cache: ResponseCache,
    private readonly jobs: JobsProducer,
  ) {}

  @OnJob('accounts.delete')
  async process(job: Job<AccountDeletionJobData>): Promise<AccountDeletionResult> {
    const ownerId = job.data.owner_id;
    await this.users.remove(ownerId);
    const credentials = await this.tokens.endAll(ownerId);
    const running: string[] = [];
    const jobs =
      (await this.removeJobs(this.jobs.queueOf('reminders.fire'), ownerId, running)) +
      (await this.removeJobs(this.jobs.queueOf('exports.build'), ownerId, running));
    // The records first: an export still running then finds its record gone and deletes the
    // file it wrote, and none of the owner's exports can be downloaded from here on.
    await this.exportRecords.removeOwnedBy(ownerId);
    const files = await this.files.removeOwnedBy(ownerId);
    const todos = await this.todos.removeOwnedBy(ownerId, BATCH);
    await this.idempotency.forgetOwner(ownerId);
    await this.cache.invalidate(ownerId);
    if (running.length > 0) {
      throw new Error(`jobs of the account still run (${running.join(', ')}): trying again later`);
    }
    const result = { todos, export_files: files, jobs, credentials };
    this.logger.log(`deleted account ${ownerId}: ${JSON.stringify(result)}`);
    return result;
  }

  /** Removes the owner's jobs of the queue; the ids of those running go to `running`. */
  private async removeJobs(queue: Queue, ownerId: string, running: string[]): Promise<number> {
    for (const id of await this.jobsOf(queue, ownerId, ['active'])) {
      running.push(`${queue.name}/${id}`);
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
