import { EventEmitter } from 'node:events';
import type { Cache } from 'cache-manager';
import type { AppConfig } from '../config/configuration.js';
import { CacheStats } from './cache-stats.js';
import type { RedisClient } from '../redis/redis.module.js';
import { ResponseCache } from './response-cache.service.js';

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

export function createTestCache(options: Partial<AppConfig> = {}) {
  const cache = new FakeCache();
  const client = Object.assign(new EventEmitter(), { connect: () => Promise.resolve() });
  const config = {
    cacheEnabled: true,
    cacheKeyPrefix: 'test',
    cacheTimeoutMs: 50,
    cacheTtlSeconds: 60,
    ...options,
  } as AppConfig;
  const responses = new ResponseCache(
    cache as unknown as Cache,
    client as unknown as RedisClient,
    config,
    new CacheStats(),
  );
  void responses.onModuleInit();
  return { cache, client, responses };
}
