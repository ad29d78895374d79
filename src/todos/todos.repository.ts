import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Document, Filter } from 'mongodb';
import { Model, trusted, Types, type QueryFilter } from 'mongoose';
import { ownedBy, type Owner } from '../auth/owner.js';
import { ResponseCache } from '../cache/response-cache.service.js';
import type { ViewCarry } from '../cache/view-carry.js';
import {
  finishedBefore,
  READABLE,
  unchangedSince,
  type TodoChange,
  type TodoFields,
} from './stored-form.js';
import type { StoredTodo } from './stored-todo.js';
import { TodoShape } from './todo-shape.js';
import { NEWEST_FIRST, Todo } from './todo.schema.js';

export type { TodoChange, TodoFields } from './stored-form.js';

/**
 * The one writer of the `todos` collection, for the API and the worker alike. Every read and
 * change for a request is its owner's: the owner is a parameter of each, and its filter part
 * of every query. Every write that changed something invalidates the owner's cached views
 * (all views, for writes across owners) before it resolves, so no response or job that
 * follows it can see an older view, on any process.
 */
@Injectable()
export class TodosRepository {
  constructor(
    @InjectModel(Todo.name) private readonly todos: Model<Todo>,
    private readonly cache: ResponseCache,
    private readonly shape: TodoShape,
  ) {}

  /** A page of the owner's, newest first; `filter` may hold trusted operators (keyset conditions). */
  page(
    owner: Owner,
    filter: QueryFilter<Todo>,
    skip: number,
    limit: number,
  ): Promise<StoredTodo[]> {
    return this.todos
      .find({ ...filter, ...ownedBy(owner) })
      .sort(NEWEST_FIRST)
      .skip(skip)
      .limit(limit)
      .lean<StoredTodo[]>()
      .exec();
  }

  /** The owner's todo of this id; `null` when there is none, or it is another owner's. */
  findById(owner: Owner, id: string): Promise<StoredTodo | null> {
    return this.todos
      .findOne({ _id: id, ...ownedBy(owner) })
      .lean<StoredTodo>()
      .exec();
  }

  /** Whether the todo is unfinished and still due at `remindAt`. */
  async isDue(id: string, remindAt: Date): Promise<boolean> {
    return (await this.todos.exists(this.due(id, remindAt)).exec()) !== null;
  }

  /**
   * Creates the owner's todo now, in the form `TodoShape` gives it; `carry`: how the owner's
   * cached view the create changes is carried forward instead of dropped, if it can be.
   */
  async create(
    owner: Owner,
    todo: TodoFields & { _id: Types.ObjectId },
    carry?: (created: StoredTodo) => ViewCarry,
  ): Promise<StoredTodo> {
    const created = this.shape.created(owner, { created_at: new Date(), ...todo });
    await this.todos.collection.insertOne(created as never);
    await this.cache.invalidate(owner.id, carry?.(created));
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

  /** Applies `$set`; `null` when the owner has no such todo, or it changed since `seen` (if given). */
  async update(
    owner: Owner,
    id: string,
    set: TodoFields,
    seen?: StoredTodo,
  ): Promise<TodoChange | null> {
    const stored = this.shape.changed(set);
    const before = (await this.todos.collection.findOneAndUpdate(
      this.target(owner, id, seen),
      { $set: stored },
      { returnDocument: 'before' },
    )) as StoredTodo | null;
    if (!before) return null;
    await this.cache.invalidate(owner.id);
    return { before, after: { ...before, ...stored } };
  }

  /** Deletes the owner's todo; returns it as it was, `null` when there was none (or it changed since `seen`). */
  async remove(owner: Owner, id: string, seen?: StoredTodo): Promise<StoredTodo | null> {
    const removed = (await this.todos.collection.findOneAndDelete(
      this.target(owner, id, seen),
    )) as StoredTodo | null;
    if (removed) await this.cache.invalidate(owner.id);
    return removed;
  }

  /**
   * Sets `reminded_at` once for a todo still due at `remindAt`; the todo as it was when this
   * call set it, `null` when it did not (another run did, or the todo changed).
   */
  async markReminded(id: string, remindAt: Date): Promise<StoredTodo | null> {
    const before = await this.todos
      .findOneAndUpdate(
        { ...this.due(id, remindAt), reminded_at: null },
        { $set: { reminded_at: new Date() } },
        { returnDocument: 'before' },
      )
      .lean<StoredTodo>()
      .exec();
    if (before) await this.invalidateFor(before);
    return before;
  }

  /** Deletes finished todos finished before `cutoff`, `batch` at a time; how many. */
  async removeFinishedBefore(cutoff: Date, batch: number): Promise<number> {
    const deleted = await this.removeInBatches(finishedBefore(cutoff), batch);
    if (deleted > 0) await this.cache.invalidate();
    return deleted;
  }

  /**
   * Deletes every todo of a deleted account, in batches; how many. Only what names the
   * account: ownerless todos are LEGACY_OWNER's data however the account was configured.
   */
  async removeOwnedBy(ownerId: string, batch: number): Promise<number> {
    const deleted = await this.removeInBatches({ owner_id: new Types.ObjectId(ownerId) }, batch);
    if (deleted > 0) await this.cache.invalidate(ownerId);
    return deleted;
  }

  /**
   * Applies writes across owners built elsewhere (the cutover's migration, in `original/`),
   * in one unordered bulk write past Mongoose, which would cast the values; how many
   * documents changed. Each write's filter is its guard. Every view is invalidated, as what
   * had no owner was LEGACY_OWNER's view.
   */
  async write(operations: AnyBulkWriteOperation[]): Promise<number> {
    if (operations.length === 0) return 0;
    const result = await this.todos.collection.bulkWrite(operations, { ordered: false });
    if (result.modifiedCount > 0) await this.cache.invalidate();
    return result.modifiedCount;
  }

  /** Deletes what `filter` selects, `batch` at a time: FerretDB cannot delete 100k at once. */
  private async removeInBatches(filter: QueryFilter<Todo>, batch: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const ids = await this.todos.find(filter, { _id: 1 }).limit(batch).lean().exec();
      if (ids.length === 0) return deleted;
      const result = await this.todos
        .deleteMany({ _id: trusted({ $in: ids.map((todo) => todo._id) }) })
        .exec();
      deleted += result.deletedCount;
    }
  }

  /** The todo a change is for, as the native driver takes it (uncast: values match as stored). */
  private target(owner: Owner, id: string, seen?: StoredTodo): Filter<Document> {
    const todo = seen ? unchangedSince(seen) : { _id: new Types.ObjectId(id), ...READABLE };
    return { ...todo, ...ownedBy(owner) };
  }

  /** After a write the worker made: the views of the todo's owner (of everyone, for no owner). */
  private invalidateFor(todo: StoredTodo): Promise<void> {
    const owner = todo.owner_id;
    return this.cache.invalidate(owner instanceof Types.ObjectId ? owner.toHexString() : undefined);
  }

  private due(id: string, remindAt: Date): QueryFilter<Todo> {
    return { _id: id, remind_at: remindAt, is_finished: false };
  }
}
