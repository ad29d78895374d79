import { Injectable } from '@nestjs/common';
import { Presets, SingleBar } from 'cli-progress';
import { Types } from 'mongoose';
import { LOWEST_OBJECT_ID } from '../todos/stored-todo.js';
import { OriginalTodosRepository } from './original-todos.repository.js';
import { conversionOf, type Conversion } from './todo-migration.js';

/** What a conversion run met: every todo is read once and counted once. */
export interface MigrationCounts {
  read: number;
  converted: number;
  current: number;
  unreadable: number;
}

/**
 * Documents read at once, then written `--batch` at a time, all their writes at once. Reads
 * are few and large because FerretDB reads the whole collection for each (10,000 documents:
 * two reads), and bounded so that the command's memory does not grow with the collection.
 */
const READ = 5_000;

/** How the migration writes: `batch` documents to a write, `writers` writes in flight at once. */
export interface Writes {
  batch: number;
  writers: number;
}

/** A progress bar on stderr, so that stdout holds only the command's summary. */
const bar = (what: string) =>
  new SingleBar(
    { format: `${what} [{bar}] {value}/{total} todos {eta}s left`, stream: process.stderr },
    Presets.shades_classic,
  );

/**
 * `npm run migrate`'s work: converts every stored todo to this service's form (see
 * `conversionOf`), in batches, each write conditional on the document being as it was read,
 * then (with `--owner`) gives the ownerless todos an owner. Idempotent, and safe to kill and
 * run again: a second run changes nothing.
 */
@Injectable()
export class TodoMigration {
  constructor(private readonly todos: OriginalTodosRepository) {}

  /** Converts every todo; `dryRun`: counts what it would convert. */
  async convertAll(dryRun: boolean, writes: Writes): Promise<MigrationCounts> {
    const counts = { read: 0, converted: 0, current: 0, unreadable: 0 };
    const progress = bar('migrating');
    progress.start(await this.todos.estimatedCount(), 0);
    for (let after = new Types.ObjectId(LOWEST_OBJECT_ID); ;) {
      const rows = await this.todos.batchAfter(after, READ);
      if (rows.length === 0) break;
      const pending: Conversion[] = [];
      for (const stored of rows) {
        const conversion = conversionOf(stored);
        if (conversion === 'current' || conversion === 'unreadable') counts[conversion]++;
        else pending.push(conversion);
      }
      counts.converted += dryRun
        ? pending.length
        : await inParallel(pending, writes, (part) => this.todos.convert(part));
      counts.read += rows.length;
      progress.update(counts.read);
      after = rows[rows.length - 1]._id as Types.ObjectId;
    }
    progress.stop();
    return counts;
  }

  /** How many todos have no owner: what `adoptAll` would give. */
  countOwnerless(): Promise<number> {
    return this.todos.countOwnerless();
  }

  /** Gives every ownerless todo to `ownerId`; how many. */
  async adoptAll(ownerId: string, writes: Writes): Promise<number> {
    const progress = bar('adopting');
    progress.start(await this.todos.countOwnerless(), 0);
    let adopted = 0;
    for (let after = new Types.ObjectId(LOWEST_OBJECT_ID); ;) {
      const ids = await this.todos.ownerlessAfter(after, READ);
      if (ids.length === 0) break;
      adopted += await inParallel(ids, writes, (part) => this.todos.adopt(part, ownerId));
      progress.update(adopted);
      after = ids[ids.length - 1];
    }
    progress.stop();
    return adopted;
  }
}

/**
 * Writes `items` in parts of `batch`, `writers` parts at a time; the documents changed,
 * summed. Every write is conditional on the document it changes, so their order does not
 * matter, and a server that commits each document on its own (FerretDB) works on several at
 * once.
 */
async function inParallel<T>(
  items: T[],
  { batch, writers }: Writes,
  write: (part: T[]) => Promise<number>,
): Promise<number> {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += batch) parts.push(items.slice(i, i + batch));
  let changed = 0;
  const next = async (): Promise<void> => {
    for (let part = parts.shift(); part; part = parts.shift()) {
      const n = await write(part); // not `changed += await …`, which would add to a stale sum
      changed += n;
    }
  };
  await Promise.all(Array.from({ length: writers }, next));
  return changed;
}
