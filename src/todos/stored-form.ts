import type { Document, Filter } from 'mongodb';
import { trusted, type QueryFilter, type Types } from 'mongoose';
import type { StoredTodo } from './stored-todo.js';
import type { Todo } from './todo.schema.js';

/**
 * The conditions `TodosRepository` writes under: what makes a document a todo it may change,
 * retention's range, and the guard of every change. How a todo is stored is `TodoShape`'s.
 */

/** The fields a write sets, with times as dates: `TodoShape` says how they are stored. */
export type TodoFields = Partial<Omit<Todo, 'created_at' | 'finished_at'>> & {
  created_at?: Date;
  finished_at?: Date | null;
};

/** A todo before and after one update, read in the same atomic step as the write. */
export interface TodoChange {
  before: StoredTodo;
  after: StoredTodo;
}

/**
 * What a document needs to be a todo the API can change: without a string `content` it is
 * not one (see `readStoredTodo`), and a write to it would change what no read can show.
 */
export const READABLE = { content: { $type: 'string' } } as const;

/**
 * Finished todos finished before `cutoff` (retention). A range compares within one BSON
 * type, so both forms are asked for: dates of ours, epoch seconds of the original's. Our
 * own operators: trusted, so the global sanitizeFilter leaves them as they are.
 */
export function finishedBefore(cutoff: Date): QueryFilter<Todo> {
  return {
    is_finished: true,
    $or: [
      { finished_at: trusted({ $lt: cutoff }) },
      { finished_at: trusted({ $lt: cutoff.getTime() / 1000 }) },
    ],
  };
}

/** Fields the API's form of a todo is made of: a change to any of them changes its ETag. */
const REPRESENTED = [
  'content',
  'created_at',
  'is_finished',
  'finished_at',
  'remind_at',
  'reminded_at',
] as const;

/**
 * Conditions that each field still holds what it was read with (absent: still absent), for
 * the native driver: a value of a type the schema does not declare (the original's, or a
 * hand-written one) matches as stored instead of being cast, and `$eq` matches an object
 * value as a value, never as operators.
 */
export function asRead(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([field, value]) => [
      field,
      value === undefined ? { $exists: false } : { $eq: value },
    ]),
  );
}

/** The todo `seen`, only while its API form is as it was read: `If-Match`'s compare-and-set. */
export function unchangedSince(seen: StoredTodo): Filter<Document> {
  const fields = Object.fromEntries(REPRESENTED.map((field) => [field, seen[field]]));
  return { _id: { $eq: seen._id as Types.ObjectId }, ...asRead(fields) };
}
