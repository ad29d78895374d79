import type { Cache } from 'cache-manager';
import type { AppConfig } from '../config/configuration.js';
import type { RedisClient } from '../redis/redis.module.js';
import { epochKey, generationKey, noteKey, viewKey } from './cache.constants.js';
import { wrap } from './cache-entry.js';
import type { CacheStats } from './cache-stats.js';
import type { RedisCircuit } from './redis-circuit.js';
import { carryView, type ViewCarry } from './view-carry.js';
import type { Made } from './view-loads.js';

/** The response cache's writes of views: a loaded one stored, an owner's carried forward. */
export class ViewWrites {
  constructor(
    private readonly cache: Cache,
    private readonly client: RedisClient,
    private readonly redis: RedisCircuit,
    private readonly config: AppConfig,
    private readonly stats: CacheStats,
  ) {}

  /**
   * A body over CACHE_MAX_BODY_BYTES is served but not stored: one view must not fill Redis.
   * A note is stored beside its view under the same stamp, naming the body by its tag.
   */
  async store(key: string, stamp: string, made: Made): Promise<void> {
    if (Buffer.byteLength(made.body) > this.config.cacheMaxBodyBytes) {
      this.stats.oversized++;
      return;
    }
    const writes = [this.cache.set(key, wrap(stamp, made))];
    if (made.note !== undefined) {
      writes.push(this.cache.set(noteKey(key), wrap(stamp, { etag: made.etag, body: made.note })));
    }
    await this.redis.call(Promise.all(writes));
  }

  /** Carries the owner's view across the owner's write (`carryView`); whether it did. */
  async carry(owner: string, carry: ViewCarry): Promise<boolean> {
    if (!this.redis.healthy) return false;
    const prefix = this.config.cacheKeyPrefix;
    const view = viewKey(prefix, owner, carry.view);
    const keys = {
      epoch: epochKey(prefix),
      generation: generationKey(prefix, owner),
      view,
      note: noteKey(view),
    };
    const max = this.config.cacheMaxBodyBytes;
    const done = await carryView(this.client, this.redis, keys, carry, max);
    if (done) this.stats.carried++;
    return done;
  }
}
