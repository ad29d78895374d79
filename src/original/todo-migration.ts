import type { AnyBulkWriteOperation } from 'mongodb';
import type { Types } from 'mongoose';
import { asRead } from '../todos/stored-form.js';
import { readStoredTodo, storedInstant, type StoredTodo } from '../todos/stored-todo.js';

/** One document's conversion: the fields as they were (the write's condition) and as they become. */
export interface Conversion {
  id: unknown;
  /** Each changed field as it was stored; `undefined` for a field that was missing. */
  was: Record<string, unknown>;
  set: Record<string, unknown>;
}

const TIMES = ['finished_at', 'remind_at', 'reminded_at'] as const;

const isDate = (value: unknown) => value instanceof Date && storedInstant(value) !== null;

/**
 * What `npm run migrate` does to one stored todo to bring it to this service's own form:
 * `created_at` a BSON date (millisecond precision; the ObjectId's time when it names none),
 * `finished_at`, `remind_at`, `reminded_at` dates or null, `is_finished` a boolean — the
 * values `readStoredTodo` reads, so every API answer stays the same. `current` when nothing
 * is to change; `unreadable` when the document is no todo (it is left as it is).
 */
export function conversionOf(stored: StoredTodo): Conversion | 'current' | 'unreadable' {
  const todo = readStoredTodo(stored);
  if (!todo) return 'unreadable';
  const was: Record<string, unknown> = {};
  const set: Record<string, unknown> = {};
  const change = (field: keyof StoredTodo, value: unknown) => {
    was[field] = stored[field];
    set[field] = value;
  };
  if (!isDate(stored.created_at)) change('created_at', new Date(todo.created_at));
  if (typeof stored.is_finished !== 'boolean') change('is_finished', todo.is_finished);
  for (const field of TIMES) {
    const value = stored[field];
    if (value !== null && !isDate(value)) change(field, storedInstant(value));
  }
  return Object.keys(set).length === 0 ? 'current' : { id: stored._id, was, set };
}

/** A migration's write: its `$set`, only where each field still holds what it was read with. */
export function conversionWrite({ id, was, set }: Conversion): AnyBulkWriteOperation {
  return {
    updateOne: {
      filter: { _id: id as Types.ObjectId, ...asRead(was) },
      update: { $set: set },
    },
  };
}
