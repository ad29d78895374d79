import { randomBytes } from 'node:crypto';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';
import { withinDeadline } from '../queues/producer.js';
import { REDIS_CLIENT, type RedisClient } from './redis.module.js';

/**
 * Replaces a key (or, with an empty value, deletes it) only while it still holds the value
 * its holder wrote: a holder whose claim expired and was taken by another never undoes
 * the other's. KEYS[1]; ARGV: the value held, the new value, its TTL in ms.
 */
export const REPLACE_IF_HELD = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then return redis.call('DEL', KEYS[1]) end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/** A lock outlives its holder by this much at most: a process that died frees it then. */
const LOCK_TTL_MS = 10_000;

/** How long a request waits for a lock another request holds before it gives up (503). */
const WAIT_MS = 2_000;
const RETRY_MS = 10;

/**
 * A mutual exclusion across every process, in Redis (`SET NX PX`, released by
 * `REPLACE_IF_HELD`): for the compare-and-set of `If-Match`, which MongoDB makes atomic in
 * one `findOneAndUpdate` but FerretDB does not (its conditional update reads, then writes, and
 * two racing ones both win). Single-instance Redis, as the rest of the service uses it; the
 * Redlock libraries add multi-master consensus this deployment has no use for and are
 * unmaintained. With Redis away the caller gets a 503, never an unguarded write.
 */
@Injectable()
export class RedisLock {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly client: RedisClient,
    config: AppConfig,
  ) {
    this.prefix = `${config.cacheKeyPrefix}:lock:`;
  }

  /** Runs `work` holding the lock `name`; other holders of the name wait (up to 2 s). */
  async holding<T>(name: string, work: () => Promise<T>): Promise<T> {
    const key = this.prefix + name;
    const token = randomBytes(12).toString('base64url');
    const deadline = Date.now() + WAIT_MS;
    while (!(await this.take(key, token))) {
      if (Date.now() > deadline) {
        throw new ServiceUnavailableException(`${name} is busy, try again`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    try {
      return await work();
    } finally {
      await this.call(
        this.client.eval(REPLACE_IF_HELD, { keys: [key], arguments: [token, '', '0'] }),
      ).catch(() => undefined); // it expires anyway
    }
  }

  private async take(key: string, token: string): Promise<boolean> {
    const set = await this.call(
      this.client.set(key, token, {
        condition: 'NX',
        expiration: { type: 'PX', value: LOCK_TTL_MS },
      }),
    );
    return set === 'OK';
  }

  private call<T>(operation: Promise<T>): Promise<T> {
    return withinDeadline(operation, 'take a lock', 'Redis');
  }
}
