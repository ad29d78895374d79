import { randomBytes } from 'node:crypto';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';
import { PrefixedRedis } from './prefixed-redis.js';
import { REDIS_CLIENT, type RedisClient } from './redis.module.js';

/** A lock outlives its holder by this much at most: a process that died frees it then. */
const LOCK_TTL_MS = 10_000;

/** How long a request waits for a lock another request holds before it gives up (503), by default. */
const WAIT_MS = 2_000;
const RETRY_MS = 10;

/**
 * A mutual exclusion across every process, in Redis: for the compare-and-set of `If-Match`,
 * which MongoDB makes atomic in one `findOneAndUpdate` but FerretDB does not (its conditional
 * update reads, then writes, and two racing ones both win). Single-instance Redis, as the
 * rest of the service uses it; the Redlock libraries add multi-master consensus this
 * deployment has no use for and are unmaintained. With Redis away the caller gets a 503,
 * never an unguarded write.
 *
 * A lock is an owner's: its key names the account, so a request of another account, whatever
 * name it asks for, takes a lock of its own and never holds (or waits on) this owner's.
 */
@Injectable()
export class RedisLock extends PrefixedRedis {
  constructor(@Inject(REDIS_CLIENT) client: RedisClient, config: AppConfig) {
    super(client, config, 'lock', 'take a lock');
  }

  /** Runs `work` holding the owner's lock `name`; its other holders wait (up to `waitMs`). */
  async holding<T>(
    ownerId: string,
    name: string,
    work: () => Promise<T>,
    waitMs = WAIT_MS,
  ): Promise<T> {
    const key = `${this.prefix}${ownerId}:${name}`;
    const token = randomBytes(12).toString('base64url');
    const deadline = Date.now() + waitMs;
    while (!(await this.setIfAbsent(key, token, LOCK_TTL_MS))) {
      if (Date.now() > deadline) {
        throw new ServiceUnavailableException(`${name} is busy, try again`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    try {
      return await work();
    } finally {
      await this.replaceIfHeld(key, token, '').catch(() => undefined); // it expires anyway
    }
  }
}
