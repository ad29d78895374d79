import { EventEmitter } from 'node:events';
import type { Cache } from 'cache-manager';
import type { AppConfig } from '../../src/config/configuration.js';
import { CacheStats } from '../../src/cache/cache-stats.js';
import type { RedisClient } from '../../src/redis/redis.module.js';
import { ResponseCache } from '../../src/cache/response-cache.service.js';
import { STORE_IF_CURRENT } from '../../src/cache/view-writes.js';

/**
 * An in-memory stand-in for cache-manager over Redis, for unit tests only. Like the real
 * one, a failing store emits an event carrying the error and answers as if it were a miss.
 */
export class FakeCache extends EventEmitter {
  readonly data = new Map<string, string>();
  mode: 'up' | 'failing' | 'frozen' = 'up';
  readonly calls = { get: 0, mget: 0, set: 0 };

  async get(key: string): Promise<string | undefined> {
    this.calls.get++;
    const [value] = await this.mget([key]);
    this.calls.mget--;
    return value;
  }

  async mget(keys: string[]): Promise<Array<string | undefined>> {
    this.calls.mget++;
    if (this.mode === 'frozen') return new Promise(() => undefined);
    if (this.mode === 'failing') {
      this.emit('mget', { keys, error: new Error('connection refused') });
      return keys.map(() => undefined);
    }
    return Promise.resolve(keys.map((key) => this.data.get(key)));
  }

  async set(key: string, value: string): Promise<string> {
    this.calls.set++;
    if (this.mode === 'frozen') return new Promise(() => undefined);
    if (this.mode === 'failing')
      this.emit('set', { key, value, error: new Error('connection refused') });
    else this.data.set(key, value);
    return Promise.resolve(value);
  }
}

interface FakeSetOptions {
  NX?: boolean;
  condition?: 'NX';
  GET?: boolean;
}

/**
 * The Redis client's SET as `fillSide`, `blockSide` and a lost generation's replacement use
 * it: the value, in the store's serialized form (`<expires>\n<value>`), lands in the fake
 * cache's map as the store would read it back; NX keeps an existing entry; GET answers what
 * the key held (serialized, or null) instead of OK. Expiry is not modelled.
 */
function fakeClientSet(cache: FakeCache) {
  return async (key: string, raw: string, options: FakeSetOptions = {}) => {
    if (cache.mode === 'frozen') return new Promise<null>(() => undefined);
    if (cache.mode === 'failing') throw new Error('connection refused');
    const held = cache.data.get(key);
    const before = held === undefined ? null : `\n${held}`;
    if ((options.NX || options.condition === 'NX') && held !== undefined) {
      return options.GET ? before : null;
    }
    cache.data.set(key, raw.slice(raw.indexOf('\n') + 1));
    return options.GET ? before : 'OK';
  };
}

/**
 * The Redis client's MGET as `lookup` uses it: the fake cache's values in the store's
 * serialized form (no expiry), counted as the cache's `mget`; a failing store throws, as the
 * client does.
 */
function fakeClientMGet(cache: FakeCache) {
  return async (keys: string[]) => {
    cache.calls.mget++;
    if (cache.mode === 'frozen') return new Promise<never>(() => undefined);
    if (cache.mode === 'failing') throw new Error('connection refused');
    return keys.map((key) => {
      const value = cache.data.get(key);
      return value === undefined ? null : `\n${value}`;
    });
  };
}

/**
 * The Redis client's EVAL of the one script a view's store runs (`STORE_IF_CURRENT`), over the
 * fake cache's map: the view (and its note) land only while the generation holds the value
 * given. Any other script is refused, so a spec cannot pass on a script this does not model.
 */
function fakeClientEval(cache: FakeCache) {
  const value = (raw: string) => raw.slice(raw.indexOf('\n') + 1);
  return async (
    script: string,
    { keys, arguments: args }: { keys: string[]; arguments: string[] },
  ) => {
    if (script !== STORE_IF_CURRENT) throw new Error('a script the fake does not model');
    if (cache.mode === 'frozen') return new Promise<never>(() => undefined);
    if (cache.mode === 'failing') throw new Error('connection refused');
    const [generation, view, note] = keys;
    if (cache.data.get(generation) !== args[0]) return 0;
    cache.data.set(view, value(args[1]));
    if (args[2] !== '') cache.data.set(note, value(args[2]));
    return 1;
  };
}

export function createTestCache(options: Partial<AppConfig> = {}) {
  const cache = new FakeCache();
  const client = Object.assign(new EventEmitter(), {
    connect: () => Promise.resolve(),
    set: fakeClientSet(cache),
    mGet: fakeClientMGet(cache),
    eval: fakeClientEval(cache),
    get: async (key: string) => (await fakeClientMGet(cache)([key]))[0],
  });
  const config = {
    cacheEnabled: true,
    cacheKeyPrefix: 'test',
    cacheTimeoutMs: 50,
    cacheTtlSeconds: 60,
    cacheMaxBodyBytes: 262_144,
    cacheProcessMaxBytes: 33_554_432,
    ...options,
  } as AppConfig;
  const responses = new ResponseCache(
    cache as unknown as Cache,
    client as unknown as RedisClient,
    config,
    new CacheStats(),
  );
  void responses.onModuleInit();
  return { cache, client, responses, config };
}

/** Another process's cache on the same fake Redis: it holds no body in process yet. */
export function anotherProcess({ cache, client, config }: ReturnType<typeof createTestCache>) {
  return new ResponseCache(
    cache as unknown as Cache,
    client as unknown as RedisClient,
    config,
    new CacheStats(),
  );
}
