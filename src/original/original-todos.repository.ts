import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { ResponseCache } from '../cache/response-cache.service.js';
import type { StoredTodo } from '../todos/stored-todo.js';
import { Todo } from '../todos/todo.schema.js';
import { TodosRepository } from '../todos/todos.repository.js';
import { conversionWrite, type Conversion } from './todo-migration.js';

/**
 * The cutover's side of the shared `todos` collection: the watch's read of new ids, and the
 * migration's batches, conversions and adoption of the ownerless todos. It reads; what it
 * changes it hands as guarded writes to the collection's one writer, `TodosRepository`,
 * which invalidates the cached views before it resolves.
 */
@Injectable()
export class OriginalTodosRepository {
  constructor(
    @InjectModel(Todo.name) private readonly todos: Model<Todo>,
    private readonly writer: TodosRepository,
    private readonly cache: ResponseCache,
  ) {}

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
   * Up to `limit` stored todos after `after` in `_id` order, read whole in one batch before
   * the writes that follow: a cursor open across writes hangs FerretDB's SQLite backend. The
   * migration reads thousands at a time, as FerretDB pushes no range on `_id` down and so
   * reads the whole collection for each. Only ObjectId ids are visited; any other is no todo.
   */
  batchAfter(after: Types.ObjectId, limit: number): Promise<StoredTodo[]> {
    return this.todos.collection
      .find({ _id: { $gt: after } }, { batchSize: limit + 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
  }

  /** The ids of up to `limit` todos without an owner after `after`, as `batchAfter` reads. */
  async ownerlessAfter(after: Types.ObjectId, limit: number): Promise<Types.ObjectId[]> {
    const rows = await this.todos.collection
      .find(
        { owner_id: null, _id: { $gt: after } },
        { projection: { _id: 1 }, batchSize: limit + 1 },
      )
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return rows.map((row) => row._id);
  }

  /** How many todos there are, about: for a progress bar. */
  estimatedCount(): Promise<number> {
    return this.todos.estimatedDocumentCount().exec();
  }

  /**
   * Applies conversions (the migration), each only where the document still holds what it
   * was read with, so a concurrent change is never overwritten; how many documents changed.
   */
  convert(conversions: Conversion[]): Promise<number> {
    return this.writer.write(conversions.map(conversionWrite));
  }

  /** How many todos have no owner (the original's, or from before accounts). */
  countOwnerless(): Promise<number> {
    return this.todos.countDocuments({ owner_id: null }).exec();
  }

  /**
   * Gives these todos to `ownerId` (`npm run migrate -- --owner`), each only while it still
   * has no owner, so another run's adoption is left as it was; how many. One update per id:
   * FerretDB finds a document by `_id` through an index, but scans for an `$in`.
   */
  adopt(ids: Types.ObjectId[], ownerId: string): Promise<number> {
    const owner = new Types.ObjectId(ownerId);
    return this.writer.write(
      ids.map((_id) => ({
        updateOne: { filter: { _id, owner_id: null }, update: { $set: { owner_id: owner } } },
      })),
    );
  }
}
