import { represent, type Representation } from './cache-entry.js';
import { SingleFlight } from './single-flight.js';
import { loadedParts, type Loaded } from './view-note.js';

/** A loaded view: its representation, and its note if the handler gave one. */
export type Made = Representation & { note?: string };

/** The database loads of views in this process: concurrent reads of one view share one. */
export class ViewLoads {
  private readonly flights = new SingleFlight<Made>();
  /** Writes this process has made: a bypassing read never shares a load begun before one. */
  private writes = 0;

  /** This process wrote: loads begun before it are not shared with bypassing reads after it. */
  wrote(): void {
    this.writes++;
  }

  /**
   * One load per (stamp, key), kept in the cache by `store` (the response cache decides
   * whether and where) before the key is free again.
   */
  once(
    key: string,
    stamp: string,
    load: () => Promise<Loaded>,
    store: (made: Made) => Promise<void>,
  ): Promise<Made> {
    return this.flights.run(
      `${stamp}\n${key}`,
      async () => {
        const { body, note } = loadedParts(await load());
        return { ...represent(body), note };
      },
      store,
    );
  }

  /**
   * Without Redis, concurrent reads of one view in this process still share one database
   * load, so losing the cache under load does not multiply the database's work by the
   * request rate. A load is shared only with reads that arrive before this process's next
   * write; a write in another process meanwhile (it cannot reach Redis either) is seen from
   * the next load on, at most one query later.
   */
  bypassing(owner: string, view: string, load: () => Promise<Loaded>): Promise<Made> {
    return this.flights.run(`bypass ${this.writes} ${owner} ${view}`, async () =>
      represent(loadedParts(await load()).body),
    );
  }
}
