import { CACHE_MANAGER } from '@nestjs/cache-manager';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { AppConfig } from '../config/configuration.js';
import { epochKey, generationKey, sideKey, viewKey } from './cache.constants.js';
import { newGeneration, Stamps } from './cache-stamps.js';
import type { CachedResponse, Lookup } from './cache-lookup.js';
import { represent, unwrapStamped, unwrapView } from './cache-entry.js';
import { storedValue } from './redis-keyv.js';
import { blockSideEntries, fillSideEntry } from './side-entries.js';
import { CacheStats } from './cache-stats.js';
import { KeptBodies } from './kept-bodies.js';
import { RedisCircuit } from './redis-circuit.js';
import type { ViewCarry } from './view-carry.js';
import { ViewLoads, type Made } from './view-loads.js';
import { loadedParts, type Loaded } from './view-note.js';
import { ViewWrites } from './view-writes.js';
import { CACHE_REDIS_CLIENT, type RedisClient } from '../redis/redis.module.js';

export type { CachedResponse, Lookup } from './cache-lookup.js';

/**
 * Serialized responses in Redis, per owner, correct under writes from any process:
 *
 * - A read fetches the epoch, the owner's generation and the entry in one MGET (with any side
 *   entries a caller asks for: the session of the request's token); an entry written under
 *   another stamp is a miss. An owner's write replaces the owner's generation before its
 *   response is sent, so no GET after it, on any process, sees an older view of that owner —
 *   and a miss that read the database before the write stores its view under the old stamp,
 *   where no one will read it. Other owners' views stay cached.
 * - Misses for one (stamp, view) in this process share one database load.
 * - Every Redis call is bounded by CACHE_TIMEOUT_MS; after a failure the cache is bypassed
 *   until a new epoch can be written (`RedisCircuit`), which disowns every entry before it.
 * - Its Redis may evict any key: a lost epoch or generation is replaced by a fresh one, never
 *   a fixed stand-in an older entry could match; bodies over CACHE_MAX_BODY_BYTES stay out.
 */
@Injectable()
export class ResponseCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ResponseCache.name);
  private readonly loads = new ViewLoads();
  private readonly writes: ViewWrites;
  private readonly kept: KeptBodies;
  private readonly redis: RedisCircuit;
  private readonly stamps: Stamps;
  private readonly prefix: string;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(CACHE_REDIS_CLIENT) private readonly client: RedisClient,
    private readonly config: AppConfig,
    readonly stats: CacheStats,
  ) {
    this.prefix = config.cacheKeyPrefix;
    this.kept = new KeptBodies(config.cacheProcessMaxBytes, config.cacheTtlSeconds * 1000);
    this.redis = new RedisCircuit(config.cacheTimeoutMs, stats, this.logger, () =>
      this.stamps.replace(epochKey(this.prefix)),
    );
    this.stamps = new Stamps(cache, client, this.redis);
    this.writes = new ViewWrites(client, this.redis, config, stats);
  }

  async onModuleInit(): Promise<void> {
    // cache-manager reports store errors as events and answers as if it were a miss.
    const onEvent = ({ error }: { error?: unknown }) =>
      error !== undefined && this.redis.fail(error);
    this.cache.on('set', onEvent);
    // A dropped connection marks the cache failed even in a process that is not serving.
    this.client.on('error', (error: unknown) => this.redis.fail(error));
    // At boot, so the first requests do not pay for it; a Redis down is not fatal. Even with
    // the cache off: readiness probes Redis through this client.
    await this.redis.call(this.client.connect().then(() => undefined));
  }

  onModuleDestroy(): void {
    this.redis.stop();
  }

  get enabled(): boolean {
    return this.config.cacheEnabled;
  }

  /** Answers the owner's view from the cache, or loads it (once per stamp) and stores it. */
  async serve(owner: string, view: string, load: () => Promise<Loaded>): Promise<CachedResponse> {
    if (!this.enabled) return { ...represent(loadedParts(await load()).body), hit: false };
    if (!this.redis.healthy) return this.bypass(owner, view, load);

    const found = await this.lookup(owner, view);
    if (found === undefined) return this.bypass(owner, view, load);
    if (found.cached !== undefined) {
      found.keep?.();
      this.stats.hits++;
      return { ...found.cached, hit: true };
    }
    this.stats.misses++;
    const stamp = found.generationLost
      ? await this.stamps.renew(generationKey(this.prefix, owner), found.epoch)
      : found.stamp;
    if (stamp === undefined) return this.bypass(owner, view, load);
    const store = (made: Made) => this.writes.store(owner, view, stamp, made);
    const key = viewKey(this.prefix, owner, view);
    const { body, etag } = await this.loads.once(key, stamp, load, store);
    return { body, etag, hit: false };
  }

  /**
   * One round trip: the stamps, the owner's view (if `view` is given) and the `side` entries;
   * `undefined` when the cache is off or Redis failed. A body this process already holds for
   * the stamp is not fetched again, which spares Redis and this process moving and decoding
   * the same kilobytes on every hit. A hit is not counted here: the caller may not have
   * checked the token that named the owner yet (the fast path counts it once it has).
   */
  async lookup(owner: string, view?: string, side: string[] = []): Promise<Lookup | undefined> {
    if (!this.enabled || !this.redis.healthy) return undefined;
    const key = view === undefined ? undefined : viewKey(this.prefix, owner, view);
    const kept = key === undefined ? undefined : this.kept.get(key);
    const keys = [
      epochKey(this.prefix),
      generationKey(this.prefix, owner),
      ...side.map((name) => sideKey(this.prefix, name)),
    ];
    if (key !== undefined && kept === undefined) keys.push(key);
    const raw = await this.redis.call(this.client.mGet(keys));
    if (raw === undefined) return undefined;
    const found = raw.map(storedValue);
    // One key for every owner: written here, before any token check, at no risk. Awaited
    // only when lost: a hit's path has no await but the MGET's.
    const epoch = found[0] ?? (await this.stamps.current(keys[0], undefined));
    if (epoch === undefined) return undefined;
    // An owner's is written only by `serve`, behind the token check: forged tokens naming
    // made-up owners must not add keys. Until then, a stamp that matches nothing.
    const generation = found[1] ?? `lost-${newGeneration()}`;
    const lookup: Lookup = {
      epoch,
      stamp: `${epoch}.${generation}`,
      side: side.map((_, i) => unwrapStamped(found[2 + i], epoch)),
    };
    if (found[1] === undefined) lookup.generationLost = true;
    const stamp = lookup.stamp;
    if (key === undefined) return lookup;
    if (kept?.generation === stamp) lookup.cached = kept.representation;
    else {
      // The kept body is of an older stamp: the current one may be in Redis.
      const entry =
        kept === undefined
          ? found[keys.length - 1]
          : storedValue(await this.redis.call(this.client.get(key)));
      lookup.cached = entry === undefined ? undefined : unwrapView(entry, stamp);
      const cached = lookup.cached;
      if (cached !== undefined) lookup.keep = () => this.kept.keep(key, stamp, cached);
    }
    return lookup;
  }

  /**
   * Makes the owner's cached views stale (without an owner: every entry, sessions too);
   * resolves once no process can serve one any more. Tried even while this process sees Redis
   * failing (other processes may still reach it); if it fails, the recovery replaces the
   * epoch before the cache is used again. With a `carry`, that view of the owner's is
   * stored as the write leaves it, under the new generation, when it can be (`carryView`).
   */
  async invalidate(owner?: string, carry?: ViewCarry): Promise<void> {
    if (!this.enabled) return;
    this.loads.wrote();
    this.stats.invalidations++;
    if (owner !== undefined && carry && (await this.writes.carry(owner, carry))) return;
    await this.stamps.replace(
      owner === undefined ? epochKey(this.prefix) : generationKey(this.prefix, owner),
    );
  }

  /** Stores a side entry under `epoch` unless one is there or blocked (`fillSideEntry`). */
  async fillSide(name: string, epoch: string, value: string, ttlMs: number): Promise<void> {
    if (!this.enabled) return;
    const key = sideKey(this.prefix, name);
    await this.redis.call(fillSideEntry(this.client, key, { epoch, value }, ttlMs));
  }

  /**
   * Blocks side entries for `ttlMs`: absent to reads, and no fill stores them. Whether they
   * were written (with the cache off no entry is ever read, so that counts as written).
   */
  async blockSide(names: readonly string[], ttlMs: number): Promise<boolean> {
    if (!this.enabled || names.length === 0) return true;
    const keys = names.map((name) => sideKey(this.prefix, name));
    return (await this.redis.call(blockSideEntries(this.client, keys, ttlMs))) !== undefined;
  }

  private async bypass(owner: string, view: string, load: () => Promise<Loaded>) {
    this.stats.bypassed++;
    const { body, etag } = await this.loads.bypassing(owner, view, load);
    return { body, etag, hit: false };
  }
}
