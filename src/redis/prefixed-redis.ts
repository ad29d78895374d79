import type { AppConfig } from '../config/configuration.js';
import { withinDeadline } from './within-deadline.js';
import type { RedisClient } from './redis.module.js';

/**
 * Replaces a key (or, with an empty value, deletes it) only while it still holds the value
 * its holder wrote: a holder whose claim expired and was taken by another never undoes
 * the other's. KEYS[1]; ARGV: the value held, the new value, its TTL in ms.
 */
const REPLACE_IF_HELD = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then return redis.call('DEL', KEYS[1]) end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/**
 * Keys of one kind under the service's key prefix, on the shared client, taken with `SET NX`
 * and given up with `REPLACE_IF_HELD`. Every call has a deadline: with Redis away the
 * request gets a 503 naming `what` it could not do, never a hang.
 */
export abstract class PrefixedRedis {
  protected readonly prefix: string;

  protected constructor(
    protected readonly client: RedisClient,
    config: AppConfig,
    kind: string,
    private readonly what: string,
  ) {
    this.prefix = `${config.cacheKeyPrefix}:${kind}:`;
  }

  /** Sets the key unless it exists; whether this call set it. */
  protected async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const set = await this.call(
      this.client.set(key, value, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }),
    );
    return set === 'OK';
  }

  /** Replaces the key (`''`: deletes it) if it still holds `held`. */
  protected async replaceIfHeld(key: string, held: string, value: string, ttlMs = 0) {
    await this.call(
      this.client.eval(REPLACE_IF_HELD, { keys: [key], arguments: [held, value, String(ttlMs)] }),
    );
  }

  protected call<T>(operation: Promise<T>): Promise<T> {
    return withinDeadline(operation, this.what, 'Redis');
  }
}
