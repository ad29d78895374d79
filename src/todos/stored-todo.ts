import type { Types } from 'mongoose';
import type { TodoDto } from './dto/todo.dto.js';

/**
 * A todo as it may be stored: by this service (BSON dates), by the original Flask service
 * (`created_at`/`finished_at` as float epoch seconds, no reminder fields), or by hand. Read
 * with `lean()`, so nothing is cast: every field is whatever the document holds.
 */
export interface StoredTodo {
  _id: unknown;
  owner_id?: unknown;
  content?: unknown;
  created_at?: unknown;
  is_finished?: unknown;
  finished_at?: unknown;
  remind_at?: unknown;
  reminded_at?: unknown;
}

/**
 * The lowest ObjectId: a position before every todo in `_id` order, and the stand-in for an
 * `_id` that is no ObjectId (which sorts after every ObjectId of its `created_at`).
 */
export const LOWEST_OBJECT_ID = '0'.repeat(24);

/** Digits with an optional fraction: epoch seconds written as a string. */
const EPOCH_SECONDS = /^\d{1,12}(\.\d+)?$/;

/** By its BSON type tag, as the driver's and Mongoose's `bson` copies may be different classes. */
function isObjectId(value: unknown): value is Types.ObjectId {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { _bsontype?: unknown })._bsontype === 'ObjectId'
  );
}

function validDate(date: Date): Date | null {
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The instant a stored time names, or null when it names none. A BSON date is ours; a
 * number is epoch seconds, as the original's `time.time()` wrote it (a float, or an integer
 * from other tools); a string is epoch seconds or anything `Date` parses (ISO-8601).
 */
export function storedInstant(value: unknown): Date | null {
  if (value instanceof Date) return validDate(value);
  if (typeof value === 'number') {
    return Number.isFinite(value) ? validDate(new Date(Math.round(value * 1000))) : null;
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (EPOCH_SECONDS.test(text)) return storedInstant(Number(text));
    return text === '' ? null : validDate(new Date(text));
  }
  // A Decimal128 or a Long that was not promoted to a number.
  if (typeof value === 'object' && value !== null && '_bsontype' in value) {
    const number = Number((value as { toString(): string }).toString());
    return Number.isNaN(number) ? null : storedInstant(number);
  }
  return null;
}

const iso = (value: unknown): string | null => storedInstant(value)?.toISOString() ?? null;

/**
 * A stored todo in the API's form, or `undefined` when the document is not a todo this API
 * can name and describe: its `_id` is not an ObjectId (no route could address it) or its
 * `content` is not a string. Everything else is mapped as far as it can be: a missing or
 * unreadable `created_at` is the creation time inside the ObjectId, a missing `is_finished`
 * is whether `finished_at` names a time, other missing or unreadable times are null.
 */
export function readStoredTodo(stored: StoredTodo): TodoDto | undefined {
  if (!isObjectId(stored._id) || typeof stored.content !== 'string') return undefined;
  const createdAt = storedInstant(stored.created_at) ?? stored._id.getTimestamp();
  return {
    id: stored._id.toHexString(),
    content: stored.content,
    is_finished:
      typeof stored.is_finished === 'boolean'
        ? stored.is_finished
        : storedInstant(stored.finished_at) !== null,
    created_at: createdAt.toISOString(),
    finished_at: iso(stored.finished_at),
    remind_at: iso(stored.remind_at),
    reminded_at: iso(stored.reminded_at),
  };
}

/** A stored `_id` as the hex string routes use, when it is an ObjectId. */
export function storedIdOf(stored: StoredTodo): string | undefined {
  return isObjectId(stored._id) ? stored._id.toHexString() : undefined;
}
