import type { AppConfig } from '../config/configuration.js';
import type { RedisClient } from '../redis/redis.module.js';
import { epochKey, generationKey, noteKey, viewKey } from './cache.constants.js';
import { wrap } from './cache-entry.js';
import type { CacheStats } from './cache-stats.js';
import type { RedisCircuit } from './redis-circuit.js';
import { storedForm } from './redis-keyv.js';
import { carryView, type ViewCarry } from './view-carry.js';
import type { Made } from './view-loads.js';

/**
 * Stores a loaded view (and its note, unless ARGV[3] is empty) only while the owner's
 * generation is still the one it was loaded under. A load that a write overtook would
 * otherwise overwrite what that write stored under the new one (a carried page) with an entry
 * no one reads, and the owner's next read would miss. KEYS: generation, view, note. ARGV:
 * the generation (its value, without the store's `<expires>` line), the view, the note, the
 * TTL in ms.
 */
export const STORE_IF_CURRENT = `
local held = redis.call('GET', KEYS[1])
if not held then return 0 end
local at = string.find(held, '\\n', 1, true)
if not at or string.sub(held, at + 1) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4])
if ARGV[3] ~= '' then redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4]) end
return 1`;

/** The response cache's writes of views: a loaded one stored, an owner's carried forward. */
export class ViewWrites {
  constructor(
    private readonly client: RedisClient,
    private readonly redis: RedisCircuit,
    private readonly config: AppConfig,
    private readonly stats: CacheStats,
  ) {}

  /**
   * Stores the owner's view loaded under `stamp` while that stamp's generation is current
   * (`STORE_IF_CURRENT`), in the store's serialized form with the cache's TTL. A body over
   * CACHE_MAX_BODY_BYTES is served but not stored: one view must not fill Redis. A note is
   * stored beside its view under the same stamp, naming the body by its tag.
   */
  async store(owner: string, view: string, stamp: string, made: Made): Promise<void> {
    if (Buffer.byteLength(made.body) > this.config.cacheMaxBodyBytes) {
      this.stats.oversized++;
      return;
    }
    const prefix = this.config.cacheKeyPrefix;
    const key = viewKey(prefix, owner, view);
    const ttlMs = this.config.cacheTtlSeconds * 1000;
    const expires = Date.now() + ttlMs;
    const note = made.note === undefined ? undefined : { etag: made.etag, body: made.note };
    const stored = this.client.eval(STORE_IF_CURRENT, {
      keys: [generationKey(prefix, owner), key, noteKey(key)],
      arguments: [
        stamp.slice(stamp.indexOf('.') + 1),
        storedForm(wrap(stamp, made), expires),
        note === undefined ? '' : storedForm(wrap(stamp, note), expires),
        String(ttlMs),
      ],
    });
    await this.redis.call(stored);
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
