/**
 * A check's result, reused until `forMs` after it settled; callers arriving while it runs
 * share it. Readiness needs no token and is not rate limited, and each check writes to
 * Redis and pings MongoDB: without this, anyone could make the stores do a round of work per
 * request. A failed result is reused too, so an outage is not probed harder than health.
 */
export class RecentResult<T> {
  private current?: { result: Promise<T>; settledAt?: number };

  constructor(
    private readonly run: () => PromiseLike<T>,
    private readonly forMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    const current = this.current;
    if (current !== undefined && !this.expired(current)) return current.result;
    const next: { result: Promise<T>; settledAt?: number } = {
      result: Promise.resolve(this.run()),
    };
    const settle = () => void (next.settledAt = this.now());
    next.result.then(settle, settle);
    this.current = next;
    return next.result;
  }

  private expired({ settledAt }: { settledAt?: number }): boolean {
    return settledAt !== undefined && this.now() - settledAt >= this.forMs;
  }
}
