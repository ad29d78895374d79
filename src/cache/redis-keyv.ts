import KeyvRedis, { Keyv } from '@keyv/redis';
import type { RedisClient } from '../redis/redis.module.js';

/**
 * A Keyv store over the Redis client whose serialized form is `<expires>\n<value>`: values are
 * already-serialized response bodies, so a hit costs one `indexOf` and one `slice` instead
 * of Keyv's default JSON round trip. Errors are thrown (not swallowed) so the cache can tell
 * a failure from a miss.
 */
export function createRawKeyv(client: RedisClient, ttlMs: number): Keyv<string> {
  const store = new KeyvRedis(client, { throwOnErrors: true, throwOnConnectError: true });
  const keyv = new Keyv<string>({
    store,
    ttl: ttlMs,
    useKeyPrefix: false,
    throwOnErrors: true,
    serialize: ({ value, expires }) => storedForm(String(value), expires),
    deserialize: <Value>(raw: string) => {
      const newline = raw.indexOf('\n');
      if (newline < 0) return undefined;
      const expires = newline > 0 ? Number(raw.slice(0, newline)) : undefined;
      return { value: raw.slice(newline + 1) as Value, expires };
    },
  });
  keyv.namespace = undefined;
  return keyv;
}

/**
 * A value in the store's serialized form, `<expires>\n<value>` (`expires` in ms since the
 * epoch, empty for none), for what is written past Keyv: a conditional SET or a script.
 */
export const storedForm = (value: string, expires?: number): string => `${expires ?? ''}\n${value}`;

/** When a value in the store's serialized form expires, in ms since the epoch; 0 for never. */
export const expiryOf = (raw: string): number => Number(raw.slice(0, raw.indexOf('\n')));

/**
 * A value in the store's serialized form with no expiry of its own, for an entry written with
 * the Redis client directly (a conditional SET, which Keyv cannot make; Redis expires it).
 */
export const sideEntry = (value: string): string => storedForm(value);

/**
 * A value as `mGet` on the client returns it, read from the store's serialized form:
 * `undefined` when absent or past its expiry (as Keyv reads it). The hot path reads so,
 * past cache-manager and Keyv: their `mget` cost twice the CPU of the client's own.
 */
export function storedValue(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const newline = raw.indexOf('\n');
  if (newline < 0) return undefined;
  if (newline > 0 && Number(raw.slice(0, newline)) < Date.now()) return undefined;
  return raw.slice(newline + 1);
}
