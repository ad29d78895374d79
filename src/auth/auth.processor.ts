import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { AccountDeletionJobData, AccountDeletionResult } from '../jobs/job-catalogue.js';
import { JobSteps, OnAccountDeleted, OnMaintenance } from '../jobs/job-steps.js';
import { OnJob } from '../jobs/on-job.decorator.js';
import { AccessTokens } from './access-tokens.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository } from './users.repository.js';

/**
 * The accounts' jobs. Deleting a deleted account's data is one durable job: each feature
 * deletes its own (`@OnAccountDeleted`), in order, credentials first. Every step is
 * idempotent, so a retry after a crash finishes the work. An export of the account still
 * running would write a file after this: the job fails then, and its retry (with backoff)
 * deletes what it left.
 */
@Injectable()
export class AuthProcessor {
  private readonly logger = new Logger(AuthProcessor.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: AccessTokens,
    private readonly sessions: SessionsRepository,
    private readonly steps: JobSteps,
  ) {}

  @OnJob('accounts.delete')
  async deleteAccount(job: Job<AccountDeletionJobData>): Promise<AccountDeletionResult> {
    const { result, retry } = await this.steps.run('accounts.delete', job.data);
    if (retry.length > 0) {
      throw new Error(`jobs of the account still run (${retry.join(', ')}): trying again later`);
    }
    const deleted = { todos: 0, export_files: 0, jobs: 0, credentials: 0, ...result };
    this.logger.log(`deleted account ${job.data.owner_id}: ${JSON.stringify(deleted)}`);
    return deleted;
  }

  /** Its sessions and tokens again: one may have been made while the account was deleted. */
  @OnAccountDeleted(10)
  async removeCredentials({ owner_id }: AccountDeletionJobData) {
    await this.users.remove(owner_id);
    return { credentials: await this.tokens.endAll(owner_id) };
  }

  /** What a TTL index would do on MongoDB, which FerretDB lacks. */
  @OnMaintenance(10)
  async removeEndedSessions() {
    const sessions = await this.sessions.removeEnded();
    if (sessions > 0) this.logger.log(`deleted ${sessions} ended sessions`);
    return { sessions_deleted: sessions };
  }
}
