import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types, type QueryFilter } from 'mongoose';
import { ResponseCache } from '../cache/response-cache.service.js';
import { AppConfig } from '../config/configuration.js';
import type { StoredTodo } from './stored-todo.js';
import { NEWEST_FIRST, Todo, type StoredTime } from './todo.schema.js';

/** A todo before and after one update, read in the same atomic step as the write. */
export interface TodoChange {
  before: StoredTodo;
  after: StoredTodo;
}

/**
 * What a document needs to be a todo the API can change: without a string `content` it is
 * not one (see `readStoredTodo`), and a write to it would change what no read can show.
 */
const READABLE: QueryFilter<Todo> = { content: trusted({ $type: 'string' }) };

/** The fields a write sets, with times as dates: the repository stores them as configured. */
export type TodoFields = Partial<Omit<Todo, 'created_at' | 'finished_at'>> & {
  created_at?: Date;
  finished_at?: Date | null;
};

/**
 * The one writer of the `todos` collection, for the API and the worker alike. Every write
 * that changed something invalidates the cached views before it resolves, so no response or
 * job that follows it can see an older view, on any process.
 */
@Injectable()
export class TodosRepository {
  constructor(
    @InjectModel(Todo.name) private readonly todos: Model<Todo>,
    private readonly cache: ResponseCache,
    private readonly config: AppConfig,
  ) {}

  /** A page newest first; `filter` may hold trusted operators (keyset conditions). */
  page(filter: QueryFilter<Todo>, skip: number, limit: number): Promise<StoredTodo[]> {
    return this.todos
      .find(filter)
      .sort(NEWEST_FIRST)
      .skip(skip)
      .limit(limit)
      .lean<StoredTodo[]>()
      .exec();
  }

  findById(id: string): Promise<StoredTodo | null> {
    return this.todos.findById(id).lean<StoredTodo>().exec();
  }

  /** Whether the todo is unfinished and still due at `remindAt`. */
  async isDue(id: string, remindAt: Date): Promise<boolean> {
    return (await this.todos.exists(this.due(id, remindAt)).exec()) !== null;
  }

  /** Creates the todo now; with STORE_ORIGINAL_TIMES, in the original's shape exactly. */
  async create(todo: TodoFields & { _id: Types.ObjectId }): Promise<StoredTodo> {
    const fields = this.stored({ created_at: new Date(), ...todo });
    let created: StoredTodo;
    if (this.config.storeOriginalTimes) {
      // The original's four fields (a reminder's only when one is set), so that the original's
      // own reads of this todo look as if it had written it.
      created = {
        _id: todo._id,
        content: todo.content,
        created_at: fields.created_at,
        is_finished: false,
        finished_at: null,
        ...(todo.remind_at ? { remind_at: todo.remind_at, reminded_at: null } : {}),
      };
      await this.todos.collection.insertOne(created as never);
    } else {
      created = (await this.todos.create(fields)).toObject<StoredTodo>();
    }
    await this.cache.invalidate();
    return created;
  }

  /** Drops every todo (seeding `--fresh`): quicker than deleting, and FerretDB cannot delete 100k at once. */
  async clear(): Promise<void> {
    await this.todos.collection.drop().catch(() => undefined);
    await this.cache.invalidate();
  }

  /** Builds the schema's indexes now (seeding: so the first page is fast once it ends). */
  async ensureIndexes(): Promise<void> {
    await this.todos.createIndexes();
  }

  /** Inserts many at once (seeding); unordered, so one bad document does not stop the rest. */
  async insertMany(todos: TodoFields[]): Promise<void> {
    await this.todos.insertMany(todos, { lean: true, ordered: false });
    await this.cache.invalidate();
  }

  /** Applies `$set`; `null` when there is no such todo. */
  async update(id: string, set: TodoFields): Promise<TodoChange | null> {
    const stored = this.stored(set);
    const before = await this.todos
      .findOneAndUpdate({ _id: id, ...READABLE }, { $set: stored }, { returnDocument: 'before' })
      .lean<StoredTodo>()
      .exec();
    if (!before) return null;
    await this.cache.invalidate();
    return { before, after: { ...before, ...stored } };
  }

  /** Deletes the todo; returns it as it was, `null` when there was none. */
  async remove(id: string): Promise<StoredTodo | null> {
    const removed = await this.todos
      .findOneAndDelete({ _id: id, ...READABLE })
      .lean<StoredTodo>()
      .exec();
    if (removed) await this.cache.invalidate();
    return removed;
  }

  /** Sets `reminded_at` once for a todo still due at `remindAt`; whether this call set it. */
  async markReminded(id: string, remindAt: Date): Promise<boolean> {
    const marked = await this.todos
      .updateOne(
        { ...this.due(id, remindAt), reminded_at: null },
        { $set: { reminded_at: new Date() } },
      )
      .exec();
    if (marked.modifiedCount > 0) await this.cache.invalidate();
    return marked.modifiedCount > 0;
  }

  /** Deletes finished todos finished before `cutoff`, `batch` at a time; how many. */
  async removeFinishedBefore(cutoff: Date, batch: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const ids = await this.todos
        // Our own operators: trusted, so the global sanitizeFilter leaves them as they are.
        .find(
          {
            is_finished: true,
            // A range compares within one BSON type: dates of ours, epoch seconds of the original's.
            $or: [
              { finished_at: trusted({ $lt: cutoff }) },
              { finished_at: trusted({ $lt: cutoff.getTime() / 1000 }) },
            ],
          },
          { _id: 1 },
        )
        .limit(batch)
        .lean()
        .exec();
      if (ids.length === 0) break;
      const result = await this.todos
        .deleteMany({ _id: trusted({ $in: ids.map((todo) => todo._id) }) })
        .exec();
      deleted += result.deletedCount;
    }
    if (deleted > 0) await this.cache.invalidate();
    return deleted;
  }

  /** `created_at`/`finished_at` as this service stores them: dates, or the original's epoch seconds. */
  private stored(fields: TodoFields): Partial<Todo> {
    const time = (date: Date): StoredTime =>
      this.config.storeOriginalTimes ? date.getTime() / 1000 : date;
    const { created_at, finished_at, ...rest } = fields;
    return {
      ...rest,
      ...(created_at === undefined ? {} : { created_at: time(created_at) }),
      ...(finished_at === undefined ? {} : { finished_at: finished_at && time(finished_at) }),
    };
  }

  private due(id: string, remindAt: Date): QueryFilter<Todo> {
    return { _id: id, remind_at: remindAt, is_finished: false };
  }
}
