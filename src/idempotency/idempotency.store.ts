import { randomBytes } from 'node:crypto';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';
import { PrefixedRedis } from '../redis/prefixed-redis.js';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis.module.js';
import type { AccountDeletionJobData } from '../jobs/job-catalogue.js';
import { OnAccountDeleted } from '../jobs/job-steps.js';

/** How long a finished request's answer is replayed for a retry with its key. */
export const REPLAY_TTL_MS = 24 * 3600 * 1000;

/** How long a request's claim on its key holds: a process that died with it frees it then. */
export const CLAIM_TTL_MS = 60_000;

/** An answer kept for replay: what the first request got, and which body it was for. */
export interface RecordedAnswer {
  status: number;
  location?: string;
  body: string;
}

/** What holds a key: a request still running, or the answer of one that finished. */
export type KeyHolder =
  | { state: 'in-flight'; fingerprint: string }
  | ({ state: 'done'; fingerprint: string } & RecordedAnswer);

/** A request's claim on its key, to finish or give up with. */
export interface Claim {
  key: string;
  /** The claim's value as written: only the claim holding it may replace it. */
  value: string;
}

/**
 * The keys of `Idempotency-Key` requests, in Redis so that every API process sees one
 * claim per key: `SET NX` decides which request runs, the others see its claim or its
 * answer. A claim expires after CLAIM_TTL_MS, an answer after REPLAY_TTL_MS. Every call has
 * a deadline: with Redis away a request with a key is a 503, never run unguarded.
 */
@Injectable()
export class IdempotencyStore extends PrefixedRedis {
  constructor(@Inject(REDIS_CLIENT) client: RedisClient, config: AppConfig) {
    super(client, config, 'idempotency', 'check the Idempotency-Key');
  }

  /** Claims `scope` for a request with this body, or tells what holds it already. */
  async claim(scope: string, fingerprint: string): Promise<Claim | KeyHolder> {
    const key = this.prefix + scope;
    const value = JSON.stringify({
      state: 'in-flight',
      fingerprint,
      claim: randomBytes(12).toString('base64url'),
    });
    // A holder that expires between the SET and the GET leaves the key free: try again.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.setIfAbsent(key, value, CLAIM_TTL_MS)) return { key, value };
      const held = await this.call(this.client.get(key));
      if (held !== null) return JSON.parse(held) as KeyHolder;
    }
    throw new ServiceUnavailableException('could not claim the Idempotency-Key, try again');
  }

  /** Keeps the answer for replay, if the claim still holds the key. */
  async finish(claim: Claim, fingerprint: string, answer: RecordedAnswer): Promise<void> {
    const done = JSON.stringify({ state: 'done', fingerprint, ...answer });
    await this.replaceIfHeld(claim.key, claim.value, done, REPLAY_TTL_MS);
  }

  /** Frees the key (the answer must not be replayed: a retry has to be able to succeed). */
  async abandon(claim: Claim): Promise<void> {
    await this.replaceIfHeld(claim.key, claim.value, '');
  }

  /** Deletes the claims and recorded answers of a deleted account; how many. */
  async forgetOwner(ownerId: string): Promise<number> {
    let removed = 0;
    const match = `${this.prefix}${ownerId} *`;
    for await (const keys of this.client.scanIterator({ MATCH: match, COUNT: 500 })) {
      if (keys.length > 0) removed += await this.client.del(keys);
    }
    return removed;
  }

  /** Its part of deleting an account: the account's claims and recorded answers. */
  @OnAccountDeleted(50)
  async accountDeleted({ owner_id }: AccountDeletionJobData): Promise<undefined> {
    await this.forgetOwner(owner_id);
  }
}
