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

  /** Converts every todo, `batch` at a time; `dryRun`: counts what it would convert. */
  async convertAll(dryRun: boolean, batch: number): Promise<MigrationCounts> {
    const counts = { read: 0, converted: 0, current: 0, unreadable: 0 };
    const progress = bar('migrating');
    progress.start(await this.todos.estimatedCount(), 0);
    // Read a batch whole, then write it: never a cursor open across writes.
    for (let after = new Types.ObjectId(LOWEST_OBJECT_ID); ;) {
      const rows = await this.todos.batchAfter(after, batch);
      if (rows.length === 0) break;
      const pending: Conversion[] = [];
      for (const stored of rows) {
        const conversion = conversionOf(stored);
        if (conversion === 'current' || conversion === 'unreadable') counts[conversion]++;
        else pending.push(conversion);
      }
      counts.converted += dryRun ? pending.length : await this.todos.convert(pending);
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

  /** Gives every ownerless todo to `ownerId`, `batch` at a time; how many. */
  async adoptAll(ownerId: string, batch: number): Promise<number> {
    const progress = bar('adopting');
    progress.start(await this.todos.countOwnerless(), 0);
    let adopted = 0;
    for (let done = await this.todos.adoptOwnerless(ownerId, batch); done > 0;) {
      adopted += done;
      progress.update(adopted);
      done = await this.todos.adoptOwnerless(ownerId, batch);
    }
    progress.stop();
    return adopted;
  }
}
