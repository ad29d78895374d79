import type { Representation } from './cache-entry.js';

/** A body kept in process, valid while Redis still names its generation. */
export interface KeptBody {
  generation: string;
  representation: Representation;
}

interface Kept extends KeptBody {
  until: number;
  bytes: number;
}

/**
 * Bodies this process has read from or stored in Redis, by key, with their generation. A hit
 * on one then reads only the generation from Redis (the check every read needs) instead of
 * moving and decoding the same kilobytes again. Bounded in bytes, not entries (a thousand fat
 * pages would otherwise be a process's whole heap): oldest first out; each expires with the
 * TTL. A body counts its UTF-8 bytes, the measure CACHE_MAX_BODY_BYTES uses too.
 */
export class KeptBodies {
  private readonly entries = new Map<string, Kept>();
  private total = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly ttlMs: number,
  ) {}

  /** Bytes of the bodies kept now. */
  get bytes(): number {
    return this.total;
  }

  get(key: string): KeptBody | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.until > Date.now()) return entry;
    this.drop(key, entry);
    return undefined;
  }

  keep(key: string, generation: string, representation: Representation): void {
    const previous = this.entries.get(key);
    if (previous !== undefined) this.drop(key, previous);
    const bytes = Buffer.byteLength(representation.body);
    if (bytes > this.maxBytes) return;
    for (const [oldest, entry] of this.entries) {
      if (this.total + bytes <= this.maxBytes) break;
      this.drop(oldest, entry);
    }
    this.entries.set(key, { generation, representation, until: Date.now() + this.ttlMs, bytes });
    this.total += bytes;
  }

  private drop(key: string, entry: Kept): void {
    this.entries.delete(key);
    this.total -= entry.bytes;
  }
}
