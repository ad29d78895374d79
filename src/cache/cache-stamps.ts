import { randomBytes } from 'node:crypto';
import type { Cache } from 'cache-manager';
import type { RedisClient } from '../redis/redis.module.js';
import { GENERATION_TTL_MS } from './cache.constants.js';
import type { RedisCircuit } from './redis-circuit.js';
import { storedForm, storedValue } from './redis-keyv.js';

/** A fresh epoch or generation: random, so no value ever comes back once replaced. */
export const newGeneration = () => randomBytes(9).toString('base64url');

/**
 * Sets `key` to `raw` unless it exists (SET NX GET): what it held before, null if nothing,
 * `undefined` if Redis failed.
 */
export type SetIfAbsent = (
  key: string,
  raw: string,
  ttlMs: number,
) => Promise<string | null | undefined>;

/**
 * The epoch or a generation as a read must use it: the one found, or — when Redis no longer
 * holds one (never written, flushed, or evicted by the cache's `allkeys-lru` Redis) — a
 * fresh one written only if still absent, so every process agrees on it. Never a fixed
 * stand-in: a view or credential entry stored under a generation that was evicted would
 * match that stand-in again and be served stale. `undefined` when Redis failed, or holds a
 * value past its expiry that it has not dropped yet (the read then goes to MongoDB).
 */
export async function currentGeneration(
  key: string,
  found: string | undefined,
  setIfAbsent: SetIfAbsent,
): Promise<string | undefined> {
  if (found !== undefined) return found;
  const mine = newGeneration();
  // The form cache-manager's store writes (`<expires>\n<value>`), as `replace` does.
  const raw = storedForm(mine, Date.now() + GENERATION_TTL_MS);
  const before = await setIfAbsent(key, raw, GENERATION_TTL_MS);
  if (before === undefined) return undefined;
  return before === null ? mine : storedValue(before);
}

/** `SetIfAbsent` on the cache's client, through its circuit (bounded, failures counted). */
export const setIfAbsentOn =
  (client: RedisClient, redis: RedisCircuit): SetIfAbsent =>
  (key, raw, ttlMs) =>
    redis.call(
      client.set(key, raw, {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
        GET: true,
      }),
    );

/** The epoch and generations as the response cache reads, renews and replaces them. */
export class Stamps {
  private readonly setIfAbsent: SetIfAbsent;

  constructor(
    private readonly cache: Cache,
    client: RedisClient,
    private readonly redis: RedisCircuit,
  ) {
    this.setIfAbsent = setIfAbsentOn(client, redis);
  }

  /** The value under `key` as found, or a fresh one when Redis lost it (`currentGeneration`). */
  current(key: string, found: string | undefined): Promise<string | undefined> {
    return currentGeneration(key, found, this.setIfAbsent);
  }

  /** `<epoch>.<generation>` with the generation under `key` written now if still absent. */
  async renew(key: string, epoch: string): Promise<string | undefined> {
    const generation = await this.current(key, undefined);
    return generation === undefined ? undefined : `${epoch}.${generation}`;
  }

  /** Writes a fresh random value under `key` (the epoch or an owner's generation). */
  async replace(key: string): Promise<boolean> {
    const set = this.cache.set(key, newGeneration(), GENERATION_TTL_MS);
    return (await this.redis.call(set)) !== undefined;
  }
}
