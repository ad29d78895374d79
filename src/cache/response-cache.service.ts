import { randomBytes } from 'node:crypto';
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
import {
  epochKey,
  GENERATION_TTL_MS,
  generationKey,
  INITIAL_GENERATION,
  sideKey,
  viewKey,
} from './cache.constants.js';
import { represent, unwrapStamped, unwrapView, wrap, type Representation } from './cache-entry.js';
import { sideEntry, storedValue } from './redis-keyv.js';
import { CacheStats } from './cache-stats.js';
import { KeptBodies } from './kept-bodies.js';
import { RedisCircuit } from './redis-circuit.js';
import { SingleFlight } from './single-flight.js';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis.module.js';

/** A blocked side entry: no stamp, so it never reads as a value. */
const BLOCKED = sideEntry('blocked');

/** Most views whose body a process keeps beside Redis. */
const KEPT_BODIES = 1_000;

export interface CachedResponse extends Representation {
  hit: boolean;
}

/** What one read of the cache found for an owner. */
export interface Lookup {
  /** The epoch: side entries are valid while it is current. */
  epoch: string;
  /** The epoch and the owner's generation: views are valid while it is current. */
  stamp: string;
  /** The view, when one was asked for and is cached under the stamp. */
  cached?: Representation;
  /** The side entries asked for, each when it is stored under the current epoch. */
  side: (string | undefined)[];
}

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
 */
@Injectable()
export class ResponseCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ResponseCache.name);
  private readonly flights = new SingleFlight<Representation>();
  private readonly kept: KeptBodies;
  private readonly redis: RedisCircuit;
  private readonly prefix: string;
  /** Writes this process has made: a bypassing read never shares a load begun before one. */
  private writes = 0;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(REDIS_CLIENT) private readonly client: RedisClient,
    private readonly config: AppConfig,
    readonly stats: CacheStats,
  ) {
    this.prefix = config.cacheKeyPrefix;
    this.kept = new KeptBodies(KEPT_BODIES, config.cacheTtlSeconds * 1000);
    this.redis = new RedisCircuit(config.cacheTimeoutMs, stats, this.logger, () =>
      this.replace(epochKey(this.prefix)),
    );
  }

  async onModuleInit(): Promise<void> {
    // cache-manager reports store errors as events and answers as if it were a miss.
    const onEvent = ({ error }: { error?: unknown }) =>
      error !== undefined && this.redis.fail(error);
    this.cache.on('set', onEvent);
    // A dropped connection marks the cache failed even in a process that is not serving.
    this.client.on('error', (error: unknown) => this.redis.fail(error));
    // Connected even with the cache off: readiness probes Redis through this client.
    await this.connect();
  }

  onModuleDestroy(): void {
    this.redis.stop();
  }

  get enabled(): boolean {
    return this.config.cacheEnabled;
  }

  /** Answers the owner's view from the cache, or loads it (once per stamp) and stores it. */
  async serve(owner: string, view: string, load: () => Promise<string>): Promise<CachedResponse> {
    if (!this.enabled) return { ...represent(await load()), hit: false };
    if (!this.redis.healthy) return this.bypass(owner, view, load);

    const found = await this.lookup(owner, view);
    if (found === undefined) return this.bypass(owner, view, load);
    if (found.cached !== undefined) return { ...found.cached, hit: true };
    this.stats.misses++;
    const key = viewKey(this.prefix, owner, view);
    return { ...(await this.loadOnce(key, found.stamp, load)), hit: false };
  }

  /**
   * One round trip: the stamps, the owner's view (if `view` is given) and the `side` entries;
   * `undefined` when the cache is off or Redis failed. A body this process already holds for
   * the stamp is not fetched again, which spares Redis and this process moving and decoding
   * the same kilobytes on every hit.
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
    const epoch = found[0] ?? INITIAL_GENERATION;
    const stamp = `${epoch}.${found[1] ?? INITIAL_GENERATION}`;
    const lookup: Lookup = {
      epoch,
      stamp,
      side: side.map((_, i) => unwrapStamped(found[2 + i], epoch)),
    };
    if (key === undefined) return lookup;
    if (kept?.generation === stamp) lookup.cached = kept.representation;
    else {
      // The kept body is of an older stamp: the current one may be in Redis.
      const entry = kept === undefined ? found[keys.length - 1] : await this.entry(key);
      lookup.cached = entry === undefined ? undefined : unwrapView(entry, stamp);
      if (lookup.cached !== undefined) this.kept.keep(key, stamp, lookup.cached);
    }
    if (lookup.cached !== undefined) this.stats.hits++;
    return lookup;
  }

  /**
   * Makes the owner's cached views stale (without an owner: every entry, sessions too);
   * resolves once no process can serve one any more. Tried even while this process sees Redis
   * failing (other processes may still reach it); if it fails, the recovery replaces the
   * epoch before the cache is used again.
   */
  async invalidate(owner?: string): Promise<void> {
    if (!this.enabled) return;
    this.writes++;
    this.stats.invalidations++;
    await this.replace(
      owner === undefined ? epochKey(this.prefix) : generationKey(this.prefix, owner),
    );
  }

  /**
   * Stores a side entry under `epoch` for `ttlMs`, unless the entry is there already (or
   * blocked): a fill from the database never replaces what a later change stored.
   */
  async fillSide(name: string, epoch: string, value: string, ttlMs: number): Promise<void> {
    if (!this.enabled) return;
    const entry = sideEntry(`${epoch}\n${value}`);
    const options = { NX: true, PX: Math.max(1, Math.round(ttlMs)) } as const;
    await this.redis.call(this.client.set(sideKey(this.prefix, name), entry, options));
  }

  /**
   * Blocks side entries for `ttlMs`: each reads as absent, and no fill can store it, so a
   * fill made from a database read older than the change that called this cannot bring it
   * back. The client pipelines the SETs of one tick: one round trip for all of them. Whether
   * they were written.
   */
  async blockSide(names: readonly string[], ttlMs: number): Promise<boolean> {
    // Whether every block was written: with the cache off, no entry is ever read.
    if (!this.enabled || names.length === 0) return true;
    const blocks = names.map((name) =>
      this.client.set(sideKey(this.prefix, name), BLOCKED, { PX: ttlMs }),
    );
    return (await this.redis.call(Promise.all(blocks))) !== undefined;
  }

  private async entry(key: string): Promise<string | undefined> {
    return storedValue(await this.redis.call(this.client.get(key)));
  }

  private loadOnce(key: string, stamp: string, load: () => Promise<string>) {
    return this.flights.run(
      `${stamp}\n${key}`,
      async () => represent(await load()),
      (made) => this.redis.call(this.cache.set(key, wrap(stamp, made))),
    );
  }

  /** Connects at boot so the first requests do not pay for it; a Redis that is down is not fatal. */
  private async connect(): Promise<void> {
    const connecting = this.client.connect().then(() => undefined);
    await this.redis.call(connecting);
  }

  /**
   * Without Redis, concurrent reads of one view in this process still share one database
   * load, so losing the cache under load does not multiply the database's work by the
   * request rate. A load is shared only with reads that arrive before this process's next
   * write; a write in another process meanwhile (it cannot reach Redis either) is seen from
   * the next load on, at most one query later.
   */
  private async bypass(
    owner: string,
    view: string,
    load: () => Promise<string>,
  ): Promise<CachedResponse> {
    this.stats.bypassed++;
    const made = await this.flights.run(`bypass ${this.writes} ${owner} ${view}`, async () =>
      represent(await load()),
    );
    return { ...made, hit: false };
  }

  /** Writes a fresh random value under `key` (the epoch or an owner's generation). */
  private async replace(key: string): Promise<boolean> {
    const generation = randomBytes(9).toString('base64url');
    return (
      (await this.redis.call(this.cache.set(key, generation, GENERATION_TTL_MS))) !== undefined
    );
  }
}
