import { Injectable } from '@nestjs/common';
import type { AccountDeletionJobData } from '../jobs/job-catalogue.js';
import { OnAccountDeleted } from '../jobs/job-steps.js';
import { ResponseCache } from './response-cache.service.js';

/** The cache's part of deleting an account, last: no answer of its data outlives it. */
@Injectable()
export class CacheAccountListener {
  constructor(private readonly cache: ResponseCache) {}

  @OnAccountDeleted(60)
  async accountDeleted({ owner_id }: AccountDeletionJobData): Promise<undefined> {
    await this.cache.invalidate(owner_id);
  }
}
