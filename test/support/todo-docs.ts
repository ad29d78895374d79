import { Types } from 'mongoose';
import type { TodoRecord } from '../../src/todos/todo.schema.js';
import type { TestApi } from './api.js';

/** 2026-01-01T00:00:00Z, from which `todoDocs` counts creation times. */
export const EPOCH = Date.UTC(2026, 0, 1);

/**
 * A todo as stored, for `insertMany`: its own id, open, without a reminder, created now,
 * unless `overrides` say otherwise.
 */
export function todoDoc(overrides: Partial<TodoRecord> = {}): TodoRecord {
  return {
    _id: new Types.ObjectId(),
    content: 'todo',
    created_at: new Date(),
    is_finished: false,
    finished_at: null,
    remind_at: null,
    reminded_at: null,
    ...overrides,
  };
}

/** `n` todos, the i-th `todo ${i}` created at EPOCH + i ms, with `each(i)` on top. */
export function todoDocs(
  n: number,
  each: (i: number) => Partial<TodoRecord> = () => ({}),
): TodoRecord[] {
  return Array.from({ length: n }, (_, i) =>
    todoDoc({ content: `todo ${i}`, created_at: new Date(EPOCH + i), ...each(i) }),
  );
}

/**
 * Inserts `docs` straight into the collection, 2,000 at a time, then invalidates the views.
 * They are the API's default account's, unless a doc names its `owner_id` (`undefined`: none).
 */
export async function insertTodos(api: TestApi, docs: TodoRecord[]): Promise<void> {
  const owner_id = new Types.ObjectId(api.ownerId);
  const owned = docs.map((doc) => ('owner_id' in doc ? doc : { owner_id, ...doc }));
  for (let i = 0; i < owned.length; i += 2_000)
    await api.todos.insertMany(owned.slice(i, i + 2_000));
  await api.cache.invalidate();
}
