/** How long a refused token is refused without asking MongoDB again. */
export const REFUSED_TOKEN_MS = 5_000;

/** Most refused tokens a process remembers: about a megabyte of hashes. */
export const REFUSED_TOKENS_MAX = 10_000;

/**
 * Token hashes MongoDB just refused, so the same forged or ended token sent again costs no
 * database read (nor a Redis one) for a few seconds. Only MongoDB's own "no such live
 * credential" is kept, never an outage. A refused token cannot turn valid: a token is random
 * and made before anyone holds it, and an end is final. Each entry expires
 * REFUSED_TOKEN_MS after the read that refused it (a repeat does not extend it); past
 * REFUSED_TOKENS_MAX the oldest goes first (a Map iterates in insertion order, and every
 * entry lives as long, so the first is the one that expires first).
 */
export class RefusedTokens {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ttlMs = REFUSED_TOKEN_MS,
    private readonly max = REFUSED_TOKENS_MAX,
  ) {}

  has(hash: string, now = Date.now()): boolean {
    const until = this.until.get(hash);
    if (until === undefined) return false;
    if (until > now) return true;
    this.until.delete(hash);
    return false;
  }

  add(hash: string, now = Date.now()): void {
    this.until.delete(hash);
    if (this.until.size >= this.max) {
      const oldest = this.until.keys().next();
      if (oldest.done !== true) this.until.delete(oldest.value);
    }
    this.until.set(hash, now + this.ttlMs);
  }

  get size(): number {
    return this.until.size;
  }
}
