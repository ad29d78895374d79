import KeyvRedis, { createClient, Keyv } from '@keyv/redis';

export type CacheRedisClient = ReturnType<typeof createClient>;

/**
 * The Redis client behind the cache. `disableOfflineQueue` makes commands fail at once while
 * the connection is down instead of queueing (and hanging the request) until it returns; the
 * reconnect backoff is capped at a second so caching resumes soon after Redis does.
 */
export function createCacheRedisClient(url: string): CacheRedisClient {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 1_000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1_000),
    },
  });
}

/**
 * A Keyv store over that client whose serialized form is `<expires>\n<value>`: values are
 * already-serialized response bodies, so a hit costs one `indexOf` and one `slice` instead
 * of Keyv's default JSON round trip. Errors are thrown (not swallowed) so the cache can tell
 * a failure from a miss.
 */
export function createRawKeyv(client: CacheRedisClient, ttlMs: number): Keyv<string> {
  const store = new KeyvRedis(client, { throwOnErrors: true, throwOnConnectError: true });
  const keyv = new Keyv<string>({
    store,
    ttl: ttlMs,
    useKeyPrefix: false,
    throwOnErrors: true,
    serialize: ({ value, expires }) => `${expires ?? ''}\n${String(value)}`,
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
