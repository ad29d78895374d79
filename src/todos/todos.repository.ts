import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types, type QueryFilter } from 'mongoose';
import { ResponseCache } from '../cache/response-cache.service.js';
import { NEWEST_FIRST, Todo, type TodoRecord } from './todo.schema.js';

/** A todo before and after one update, read in the same atomic step as the write. */
export interface TodoChange {
  before: TodoRecord;
  after: TodoRecord;
}

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
  ) {}

  /** A page newest first; `filter` may hold trusted operators (keyset conditions). */
  page(filter: QueryFilter<Todo>, skip: number, limit: number): Promise<TodoRecord[]> {
    return this.todos
      .find(filter)
      .sort(NEWEST_FIRST)
      .skip(skip)
      .limit(limit)
      .lean<TodoRecord[]>()
      .exec();
  }

  findById(id: string): Promise<TodoRecord | null> {
    return this.todos.findById(id).lean<TodoRecord>().exec();
  }

  /** Whether the todo is unfinished and still due at `remindAt`. */
  async isDue(id: string, remindAt: Date): Promise<boolean> {
    return (await this.todos.exists(this.due(id, remindAt)).exec()) !== null;
  }

  async create(todo: Partial<Todo> & { _id: Types.ObjectId }): Promise<TodoRecord> {
    const created = await this.todos.create(todo);
    await this.cache.invalidate();
    return created.toObject<TodoRecord>();
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
  async insertMany(todos: Partial<Todo>[]): Promise<void> {
    await this.todos.insertMany(todos, { lean: true, ordered: false });
    await this.cache.invalidate();
  }

  /** Applies `$set`; `null` when there is no such todo. */
  async update(id: string, set: Partial<Todo>): Promise<TodoChange | null> {
    const before = await this.todos
      .findByIdAndUpdate(id, { $set: set }, { returnDocument: 'before' })
      .lean<TodoRecord>()
      .exec();
    if (!before) return null;
    await this.cache.invalidate();
    return { before, after: { ...before, ...set } };
  }

  /** Deletes the todo; returns it as it was, `null` when there was none. */
  async remove(id: string): Promise<TodoRecord | null> {
    const removed = await this.todos.findByIdAndDelete(id).lean<TodoRecord>().exec();
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
        .find({ is_finished: true, finished_at: trusted({ $lt: cutoff }) }, { _id: 1 })
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

  private due(id: string, remindAt: Date): QueryFilter<Todo> {
    return { _id: id, remind_at: remindAt, is_finished: false };
  }
}
