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
  CACHE_REDIS_CLIENT,
  GENERATION_TTL_MS,
  generationKey,
  INITIAL_GENERATION,
  RECOVERY_INTERVAL_MS,
  viewKey,
} from './cache.constants.js';
import { CacheStats } from './cache-stats.js';
import type { CacheRedisClient } from './redis-keyv.js';

export interface CachedResponse {
  body: string;
  hit: boolean;
}

const TIMED_OUT = Symbol('timed out');
/** Most views whose body a process keeps beside Redis. */
const HELD_VIEWS = 1_000;

/** An entry is `<generation>\n<body>`: valid only while its generation is the current one. */
const wrap = (generation: string, body: string) => `${generation}\n${body}`;
const unwrap = (entry: string, generation: string): string | undefined =>
  entry.startsWith(`${generation}\n`) ? entry.slice(generation.length + 1) : undefined;

/**
 * Serialized responses in Redis, correct under writes from any process:
 *
 * - A read fetches the current generation and the entry in one MGET; an entry written under
 *   another generation is a miss. A write replaces the generation (a fresh random value)
 *   before its response is sent, so no GET after it, on any process, sees an older view —
 *   and a miss that read the database before the write stores its view under the old
 *   generation, where no one will read it.
 * - Misses for one (generation, view) in this process share one database load.
 * - Every Redis call is bounded by CACHE_TIMEOUT_MS. After a failure the cache is bypassed
 *   (requests go to MongoDB) until a new generation can be written, which also disowns
 *   whatever was cached before writes that could not invalidate it.
 */
@Injectable()
export class ResponseCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ResponseCache.name);
  private readonly flights = new Map<string, Promise<string>>();
  /** Bodies this process has read or stored, by key, with their generation. */
  private readonly held = new Map<string, { generation: string; body: string; until: number }>();
  private readonly generationKey: string;
  private healthy = true;
  /** Writes this process has made: a bypassing read never shares a load begun before one. */
  private writes = 0;
  private failures = 0;
  private recovering = false;
  private recoveryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(CACHE_REDIS_CLIENT) private readonly client: CacheRedisClient,
    private readonly config: AppConfig,
    readonly stats: CacheStats,
  ) {
    this.generationKey = generationKey(config.cacheKeyPrefix);
  }

  async onModuleInit(): Promise<void> {
    // cache-manager reports store errors as events and answers as if it were a miss.
    const onEvent = ({ error }: { error?: unknown }) => error !== undefined && this.fail(error);
    this.cache.on('mget', onEvent);
    this.cache.on('set', onEvent);
    // A dropped connection marks the cache failed even in a process that is not serving.
    this.client.on('error', (error: unknown) => this.fail(error));
    // Connected even with the cache off: readiness probes Redis through this client.
    await this.connect();
  }

  onModuleDestroy(): void {
    clearInterval(this.recoveryTimer);
  }

  get enabled(): boolean {
    return this.config.cacheEnabled;
  }

  /** Answers the view from the cache, or loads it (once per generation) and stores it. */
  async serve(view: string, load: () => Promise<string>): Promise<CachedResponse> {
    if (!this.enabled) return { body: await load(), hit: false };
    if (!this.healthy) return this.bypass(view, load);

    const key = viewKey(this.config.cacheKeyPrefix, view);
    const found = await this.lookup(key);
    if (found === undefined) return this.bypass(view, load);
    if (found.body !== undefined) return { body: found.body, hit: true };
    this.stats.misses++;
    return { body: await this.loadOnce(key, found.generation, load), hit: false };
  }

  /** The view's body when the cache holds it for the current generation; else `undefined`. */
  async peek(view: string): Promise<string | undefined> {
    if (!this.enabled || !this.healthy) return undefined;
    return (await this.lookup(viewKey(this.config.cacheKeyPrefix, view)))?.body;
  }

  /**
   * The current generation and, when cached for it, the body; `undefined` when Redis failed.
   * A body this process already holds for the generation is not fetched again: only the
   * generation is read (the check every read needs), which spares Redis and this process
   * moving and decoding the same kilobytes on every hit.
   */
  private async lookup(key: string): Promise<{ generation: string; body?: string } | undefined> {
    const held = this.held.get(key);
    if (held !== undefined && held.until > Date.now()) {
      const generation = await this.bounded(
        this.cache.get<string>(this.generationKey).then((found) => found ?? INITIAL_GENERATION),
      );
      if (generation === undefined) return undefined;
      if (generation === held.generation) {
        this.stats.hits++;
        return { generation, body: held.body };
      }
    }
    const found = await this.bounded(this.cache.mget<string>([this.generationKey, key]));
    if (found === undefined) return undefined;
    const generation = found[0] ?? INITIAL_GENERATION;
    const body = found[1] === undefined ? undefined : unwrap(found[1], generation);
    if (body !== undefined) {
      this.stats.hits++;
      this.hold(key, generation, body);
    }
    return { generation, body };
  }

  private hold(key: string, generation: string, body: string): void {
    if (this.held.size >= HELD_VIEWS) this.held.delete(this.held.keys().next().value as string);
    this.held.set(key, {
      generation,
      body,
      until: Date.now() + this.config.cacheTtlSeconds * 1000,
    });
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

  private async loadOnce(
    key: string,
    generation: string,
    load: () => Promise<string>,
  ): Promise<string> {
    const flightKey = `${generation}\n${key}`;
    let flight = this.flights.get(flightKey);
    if (!flight) {
      flight = load();
      this.flights.set(flightKey, flight);
      // The flight is shared until its result is stored, so a miss arriving in between
      // takes the loaded body instead of querying again; the store does not delay anyone.
      const forget = () => void this.flights.delete(flightKey);
      flight
        .then((body) => this.bounded(this.cache.set(key, wrap(generation, body))))
        .then(forget, forget);
    }
    return flight;
  }

  /** Connects at boot so the first requests do not pay for it; a Redis that is down is not fatal. */
  private async connect(): Promise<void> {
    const connecting = this.client.connect().then(() => undefined);
    await this.bounded(connecting);
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
    const flightKey = `bypass ${this.writes} ${view}`;
    let flight = this.flights.get(flightKey);
    if (!flight) {
      flight = load();
      this.flights.set(flightKey, flight);
      const forget = () => void this.flights.delete(flightKey);
      flight.then(forget, forget);
    }
    return { body: await flight, hit: false };
  }

  private async replaceGeneration(): Promise<boolean> {
    const generation = randomBytes(9).toString('base64url');
    return (
      (await this.bounded(this.cache.set(this.generationKey, generation, GENERATION_TTL_MS))) !==
      undefined
    );
  }

  /** Runs one cache call with a deadline; `undefined` when it failed or ran out of time. */
  private async bounded<T>(operation: Promise<T>): Promise<T | undefined> {
    const failuresBefore = this.failures;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      // Decided one I/O turn after the timer fires: timers run before the event loop polls
      // sockets, so on a loop lagging under load an answer already waiting in the socket
      // would otherwise lose to its own deadline, and a busy process would turn its cache
      // off and send every request to the database just when it can least afford it.
      timer = setTimeout(() => setImmediate(() => resolve(TIMED_OUT)), this.config.cacheTimeoutMs);
    });
    try {
      const result = await Promise.race([operation, deadline]);
      if (result === TIMED_OUT) {
        this.fail(new Error(`no answer within ${this.config.cacheTimeoutMs} ms`));
        return undefined;
      }
      return this.failures === failuresBefore ? result : undefined;
    } catch (error) {
      this.fail(error);
      return undefined;
    } finally {
      clearTimeout(timer);
      operation.catch(() => undefined); // a late rejection after the deadline is already counted
    }
  }

  private fail(error: unknown): void {
    this.failures++;
    this.stats.errors++;
    if (!this.healthy) return;
    this.healthy = false;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`Redis cache unavailable, serving from MongoDB: ${reason}`);
    this.recoveryTimer = setInterval(() => void this.tryRecover(), RECOVERY_INTERVAL_MS);
    this.recoveryTimer.unref();
  }

  private async tryRecover(): Promise<void> {
    if (this.recovering || this.healthy) return;
    this.recovering = true;
    try {
      const failuresBefore = this.failures;
      if ((await this.replaceGeneration()) && this.failures === failuresBefore) {
        this.healthy = true;
        clearInterval(this.recoveryTimer);
        this.logger.log('Redis cache available again');
      }
    } finally {
      this.recovering = false;
    }
  }
}
