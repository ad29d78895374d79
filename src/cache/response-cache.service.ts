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
  GENERATION_TTL_MS,
  generationKey,
  INITIAL_GENERATION,
  viewKey,
} from './cache.constants.js';
import { represent, unwrap, wrap, type Representation } from './cache-entry.js';
import { CacheStats } from './cache-stats.js';
import { KeptBodies } from './kept-bodies.js';
import { RedisCircuit } from './redis-circuit.js';
import { SingleFlight } from './single-flight.js';
import { REDIS_CLIENT, type RedisClient } from '../redis/redis.module.js';

/** Most views whose body a process keeps beside Redis. */
const KEPT_BODIES = 1_000;

export interface CachedResponse extends Representation {
  hit: boolean;
}

/**
 * Serialized responses in Redis, correct under writes from any process:
 *
 * - A read fetches the current generation and the entry in one MGET; an entry written under
 *   another generation is a miss. A write replaces the generation (a fresh random value)
 *   before its response is sent, so no GET after it, on any process, sees an older view —
 *   and a miss that read the database before the write stores its view under the old
 *   generation, where no one will read it.
 * - Misses for one (generation, view) in this process share one database load.
 * - Every Redis call is bounded by CACHE_TIMEOUT_MS; after a failure the cache is bypassed
 *   until a new generation can be written (`RedisCircuit`).
 */
@Injectable()
export class ResponseCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ResponseCache.name);
  private readonly flights = new SingleFlight<Representation>();
  private readonly kept: KeptBodies;
  private readonly redis: RedisCircuit;
  private readonly generationKey: string;
  /** Writes this process has made: a bypassing read never shares a load begun before one. */
  private writes = 0;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(REDIS_CLIENT) private readonly client: RedisClient,
    private readonly config: AppConfig,
    readonly stats: CacheStats,
  ) {
    this.generationKey = generationKey(config.cacheKeyPrefix);
    this.kept = new KeptBodies(KEPT_BODIES, config.cacheTtlSeconds * 1000);
    this.redis = new RedisCircuit(config.cacheTimeoutMs, stats, this.logger, () =>
      this.replaceGeneration(),
    );
  }

  async onModuleInit(): Promise<void> {
    // cache-manager reports store errors as events and answers as if it were a miss.
    const onEvent = ({ error }: { error?: unknown }) =>
      error !== undefined && this.redis.fail(error);
    this.cache.on('mget', onEvent);
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

  /** Answers the view from the cache, or loads it (once per generation) and stores it. */
  async serve(view: string, load: () => Promise<string>): Promise<CachedResponse> {
    if (!this.enabled) return { ...represent(await load()), hit: false };
    if (!this.redis.healthy) return this.bypass(view, load);

    const key = viewKey(this.config.cacheKeyPrefix, view);
    const found = await this.lookup(key);
    if (found === undefined) return this.bypass(view, load);
    if (found.cached !== undefined) return { ...found.cached, hit: true };
    this.stats.misses++;
    return { ...(await this.loadOnce(key, found.generation, load)), hit: false };
  }

  /** The view when the cache holds it for the current generation; else `undefined`. */
  async cached(view: string): Promise<Representation | undefined> {
    if (!this.enabled || !this.redis.healthy) return undefined;
    return (await this.lookup(viewKey(this.config.cacheKeyPrefix, view)))?.cached;
  }

  /**
   * The current generation and, when cached for it, the body; `undefined` when Redis failed.
   * A body this process already holds for the generation is not fetched again: only the
   * generation is read (the check every read needs), which spares Redis and this process
   * moving and decoding the same kilobytes on every hit.
   */
  private async lookup(
    key: string,
  ): Promise<{ generation: string; cached?: Representation } | undefined> {
    const kept = this.kept.get(key);
    if (kept !== undefined) {
      const generation = await this.redis.call(
        this.cache.get<string>(this.generationKey).then((found) => found ?? INITIAL_GENERATION),
      );
      if (generation === undefined) return undefined;
      if (generation === kept.generation) {
        this.stats.hits++;
        return { generation, cached: kept.representation };
      }
    }
    const found = await this.redis.call(this.cache.mget<string>([this.generationKey, key]));
    if (found === undefined) return undefined;
    const generation = found[0] ?? INITIAL_GENERATION;
    const cached = found[1] === undefined ? undefined : unwrap(found[1], generation);
    if (cached !== undefined) {
      this.stats.hits++;
      this.kept.keep(key, generation, cached);
    }
    return { generation, cached };
  }

  /**
   * Makes every cached todo view stale; resolves once no process can serve one any more.
   * Tried even while this process sees Redis failing (other processes may still reach it);
   * if it fails, the recovery replaces the generation again before the cache is used.
   */
  async invalidate(): Promise<void> {
    if (!this.enabled) return;
    this.writes++;
    this.stats.invalidations++;
    await this.replaceGeneration();
  }

  private loadOnce(key: string, generation: string, load: () => Promise<string>) {
    return this.flights.run(
      `${generation}\n${key}`,
      async () => represent(await load()),
      (made) => this.redis.call(this.cache.set(key, wrap(generation, made))),
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
  private async bypass(view: string, load: () => Promise<string>): Promise<CachedResponse> {
    this.stats.bypassed++;
    const made = await this.flights.run(`bypass ${this.writes} ${view}`, async () =>
      represent(await load()),
    );
    return { ...made, hit: false };
  }

  private async replaceGeneration(): Promise<boolean> {
    const generation = randomBytes(9).toString('base64url');
    return (
      (await this.redis.call(this.cache.set(this.generationKey, generation, GENERATION_TTL_MS))) !==
      undefined
    );
  }
}
