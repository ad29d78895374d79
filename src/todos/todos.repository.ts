import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Document, Filter } from 'mongodb';
import { Model, trusted, Types, type QueryFilter } from 'mongoose';
import { ResponseCache } from '../cache/response-cache.service.js';
import { AppConfig } from '../config/configuration.js';
import {
  conversionWrite,
  finishedBefore,
  originalDocument,
  READABLE,
  storedFields,
  unchangedSince,
  type TodoChange,
  type TodoFields,
} from './stored-form.js';
import type { StoredTodo } from './stored-todo.js';
import type { Conversion } from './todo-migration.js';
import { NEWEST_FIRST, Todo } from './todo.schema.js';

export type { TodoChange, TodoFields } from './stored-form.js';

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
    const fields = { created_at: new Date(), ...todo };
    let created: StoredTodo;
    if (this.config.storeOriginalTimes) {
      created = originalDocument(fields);
      await this.todos.collection.insertOne(created as never);
    } else {
      created = (await this.todos.create(storedFields(fields, false))).toObject<StoredTodo>();
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

  /** Applies `$set`; `null` when there is no such todo, or it changed since `seen` (if given). */
  async update(id: string, set: TodoFields, seen?: StoredTodo): Promise<TodoChange | null> {
    const stored = storedFields(set, this.config.storeOriginalTimes);
    const before = (await this.todos.collection.findOneAndUpdate(
      this.target(id, seen),
      { $set: stored },
      { returnDocument: 'before' },
    )) as StoredTodo | null;
    if (!before) return null;
    await this.cache.invalidate();
    return { before, after: { ...before, ...stored } };
  }

  /** Deletes the todo; returns it as it was, `null` when there was none (or it changed since `seen`). */
  async remove(id: string, seen?: StoredTodo): Promise<StoredTodo | null> {
    const removed = (await this.todos.collection.findOneAndDelete(
      this.target(id, seen),
    )) as StoredTodo | null;
    if (removed) await this.cache.invalidate();
    return removed;
  }

  /** The ids of the todos whose ObjectId was made at `since` or later (the cutover's watch). */
  async idsCreatedSince(since: Date): Promise<string[]> {
    const rows = await this.todos
      .find(
        { _id: trusted({ $gte: Types.ObjectId.createFromTime(since.getTime() / 1000) }) },
        { _id: 1 },
      )
      .lean()
      .exec();
    return rows.map((row) => String(row._id));
  }

  /** Invalidates the cached views after writes made by another service (the original). */
  async noticeOutsideWrites(): Promise<void> {
    await this.cache.invalidate();
  }

  /**
   * The next `limit` stored todos after `after` in `_id` order, in one batch (the migration):
   * read whole before the writes that follow, as a cursor open across writes can deadlock
   * FerretDB's SQLite backend. Only ObjectId ids are visited; any other is no todo.
   */
  batchAfter(after: Types.ObjectId, limit: number): Promise<StoredTodo[]> {
    return this.todos.collection
      .find({ _id: { $gt: after } }, { batchSize: limit + 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
  }

  /** How many todos there are, about: for a progress bar. */
  estimatedCount(): Promise<number> {
    return this.todos.estimatedDocumentCount().exec();
  }

  /**
   * Applies conversions (the migration) in one unordered bulk write, each only where the
   * document still holds what it was read with, so a concurrent change is never overwritten;
   * written past Mongoose, which would cast the values. How many documents changed.
   */
  async convert(conversions: Conversion[]): Promise<number> {
    if (conversions.length === 0) return 0;
    const result = await this.todos.collection.bulkWrite(conversions.map(conversionWrite), {
      ordered: false,
    });
    if (result.modifiedCount > 0) await this.cache.invalidate();
    return result.modifiedCount;
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
        .find(finishedBefore(cutoff), { _id: 1 })
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

  /** The todo a change is for, as the native driver takes it (uncast: values match as stored). */
  private target(id: string, seen?: StoredTodo): Filter<Document> {
    return seen ? unchangedSince(seen) : { _id: new Types.ObjectId(id), ...READABLE };
  }

  private due(id: string, remindAt: Date): QueryFilter<Todo> {
    return { _id: id, remind_at: remindAt, is_finished: false };
  }
}
