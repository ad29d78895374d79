import type { Logger } from '@nestjs/common';
import { RECOVERY_INTERVAL_MS } from './cache.constants.js';
import type { CacheStats } from './cache-stats.js';

const TIMED_OUT = Symbol('timed out');

/**
 * Every Redis call of the response cache, bounded by CACHE_TIMEOUT_MS, and whether Redis is
 * usable. After a failure the cache is bypassed (requests go to MongoDB) until `recover` — a
 * new generation written — succeeds with no failure in between, which also disowns whatever
 * was cached before writes that could not invalidate it.
 */
export class RedisCircuit {
  private failures = 0;
  private recovering = false;
  private recoveryTimer?: NodeJS.Timeout;

  constructor(
    private readonly timeoutMs: number,
    private readonly stats: CacheStats,
    private readonly logger: Logger,
    private readonly recover: () => Promise<boolean>,
  ) {}

  /** Whether the cache may use Redis; kept in the stats, so metrics and tests see it. */
  get healthy(): boolean {
    return this.stats.available;
  }

  /** Runs one cache call with a deadline; `undefined` when it failed or ran out of time. */
  async call<T>(operation: Promise<T>): Promise<T | undefined> {
    const failuresBefore = this.failures;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      // Decided one I/O turn after the timer fires: timers run before the event loop polls
      // sockets, so on a loop lagging under load an answer already waiting in the socket
      // would otherwise lose to its own deadline, and a busy process would turn its cache
      // off and send every request to the database just when it can least afford it.
      timer = setTimeout(() => setImmediate(() => resolve(TIMED_OUT)), this.timeoutMs);
    });
    try {
      const result = await Promise.race([operation, deadline]);
      if (result === TIMED_OUT) {
        this.fail(new Error(`no answer within ${this.timeoutMs} ms`));
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

  fail(error: unknown): void {
    this.failures++;
    this.stats.errors++;
    if (!this.healthy) return;
    this.stats.available = false;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`Redis cache unavailable, serving from MongoDB: ${reason}`);
    this.recoveryTimer = setInterval(() => void this.tryRecover(), RECOVERY_INTERVAL_MS);
    this.recoveryTimer.unref();
  }

  stop(): void {
    clearInterval(this.recoveryTimer);
  }

  private async tryRecover(): Promise<void> {
    if (this.recovering || this.healthy) return;
    this.recovering = true;
    try {
      const failuresBefore = this.failures;
      if ((await this.recover()) && this.failures === failuresBefore) {
        this.stats.available = true;
        clearInterval(this.recoveryTimer);
        this.logger.log('Redis cache available again');
      }
    } finally {
      this.recovering = false;
    }
  }
}
