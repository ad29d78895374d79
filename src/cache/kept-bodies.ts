import type { Representation } from './cache-entry.js';

/** A body kept in process, valid while Redis still names its generation. */
export interface KeptBody {
  generation: string;
  representation: Representation;
}

/**
 * Bodies this process has read from or stored in Redis, by key, with their generation. A hit
 * on one then reads only the generation from Redis (the check every read needs) instead of
 * moving and decoding the same kilobytes again. Oldest first out; each expires with the TTL.
 */
export class KeptBodies {
  private readonly entries = new Map<string, KeptBody & { until: number }>();

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
  ) {}

  get(key: string): KeptBody | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.until > Date.now() ? entry : undefined;
  }

  keep(key: string, generation: string, representation: Representation): void {
    if (this.entries.size >= this.max) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, { generation, representation, until: Date.now() + this.ttlMs });
  }
}
