import type { Representation } from './cache-entry.js';

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
  /** Redis held no generation of the owner: `stamp` matches nothing until one is written. */
  generationLost?: true;
  /**
   * For a view read from Redis: keeps it in this process. Called only once the token that
   * named the owner was checked, so a forged one cannot fill the process with others' views.
   */
  keep?: () => void;
}
