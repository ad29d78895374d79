import type { RedisClient } from '../redis/redis.module.js';
import { sideEntry } from './redis-keyv.js';

/** A blocked side entry: no stamp, so it never reads as a value. */
const BLOCKED = sideEntry('blocked');

/**
 * Stores a side entry under `epoch` for `ttlMs`, unless the entry is there already (or
 * blocked): a fill from the database never replaces what a later change stored.
 */
export function fillSideEntry(
  client: RedisClient,
  key: string,
  stamped: { epoch: string; value: string },
  ttlMs: number,
): Promise<unknown> {
  const entry = sideEntry(`${stamped.epoch}\n${stamped.value}`);
  return client.set(key, entry, { NX: true, PX: Math.max(1, Math.round(ttlMs)) });
}

/**
 * Blocks side entries for `ttlMs`: each reads as absent, and no fill can store it, so a
 * fill made from a database read older than the change that called this cannot bring it
 * back. The client pipelines the SETs of one tick: one round trip for all of them. Evicted,
 * a block reads as absent too: the credential is then looked up in MongoDB, where it is gone.
 */
export function blockSideEntries(
  client: RedisClient,
  keys: readonly string[],
  ttlMs: number,
): Promise<unknown> {
  return Promise.all(keys.map((key) => client.set(key, BLOCKED, { PX: ttlMs })));
}
