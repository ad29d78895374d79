import { trusted, Types, type QueryFilter } from 'mongoose';
import type { PagePosition } from './page-cursor.js';
import type { Todo } from './todo.schema.js';

/**
 * BSON's order of types, as the newest-first sort meets them (descending): a date of ours
 * comes before any string, and any string before the original's float epochs. A range
 * operator compares only within one group (`$lt` on a date matches no number), so the page
 * after a position also takes every document of a later group. The aliases are those both
 * MongoDB and FerretDB know (`number` covers every numeric type; FerretDB stores no symbol,
 * undefined, minKey or maxKey, and MongoDB sorts them outside any todo's range).
 */
const DESCENDING_TYPE_GROUPS: readonly (readonly string[])[] = [
  ['regex'],
  ['timestamp'],
  ['date'],
  ['bool'],
  ['objectId'],
  ['binData'],
  ['array'],
  ['object'],
  ['string'],
  ['number', 'double', 'int', 'long', 'decimal'],
  ['null'],
];

const BSON_TYPE_OF: Record<string, string> = {
  Double: 'double',
  Int32: 'int',
  Long: 'long',
  Decimal128: 'decimal',
  ObjectId: 'objectId',
  Binary: 'binData',
  Timestamp: 'timestamp',
  BSONRegExp: 'regex',
  // Types FerretDB cannot store, placed where MongoDB sorts them.
  BSONSymbol: 'string',
  MinKey: 'null',
  MaxKey: 'regex',
};

/** The aliases a `$type` query names: one per group, each known to MongoDB and FerretDB. */
const QUERIED_TYPES = new Set(DESCENDING_TYPE_GROUPS.map((types) => types[0]));

/** The BSON type name of a value read from a document or decoded from Extended JSON. */
function bsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return 'double';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  const tag = (value as { _bsontype?: string })._bsontype;
  return (tag && BSON_TYPE_OF[tag]) ?? 'object';
}

/** Where a value's type sorts newest-first: a lower group comes first (`DESCENDING_TYPE_GROUPS`). */
export function typeGroup(value: unknown): number {
  const type = bsonType(value);
  return DESCENDING_TYPE_GROUPS.findIndex((types) => types.includes(type));
}

/**
 * The filter for "strictly after this position" in newest-first order (`created_at` desc,
 * `_id` desc), for a position of any BSON type. Its operators are ours, built from a
 * verified cursor, so they are marked trusted for `sanitizeFilter`.
 */
export function afterPosition(position: PagePosition): QueryFilter<Todo> {
  const value = position.createdAt ?? null;
  const id = new Types.ObjectId(position.id);
  const group = typeGroup(value);
  const later = DESCENDING_TYPE_GROUPS.slice(group + 1).flat();
  const clauses: Record<string, unknown>[] = [
    // Equality on null also matches a missing field, which sorts as null does.
    { created_at: trusted(value), _id: trusted({ $lt: id }) },
  ];
  if (value !== null) {
    clauses.unshift({ created_at: trusted({ $lt: value }) });
    clauses.push({ created_at: trusted({ $exists: false }) });
  }
  // Only the group names of `$type`: aliases outside it are just for recognising a value.
  const names = later.filter((name) => QUERIED_TYPES.has(name));
  if (names.length > 0) clauses.push({ created_at: trusted({ $type: names }) });
  return { $or: clauses };
}
