import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BSON } from 'mongodb';
import { OBJECT_ID } from '../common/patterns.js';
import { AppConfig } from '../config/configuration.js';

/**
 * The position after which the next page starts: the sort key of the last item sent. The
 * `created_at` is the stored value itself, of whatever BSON type it has (a date of ours, the
 * original's float epoch seconds, …), as the next page's range must compare like with like.
 */
export interface PagePosition {
  createdAt: unknown;
  id: string;
}

const SIGNATURE_BYTES = 16;

/** BSON values a stored `created_at` may hold that compare as values, never match as patterns. */
const VALUE_TYPES = new Set([
  'Long',
  'Int32',
  'Double',
  'Decimal128',
  'Timestamp',
  'ObjectId',
  'Binary',
]);
/** Deeper than any value a document of ours holds; a cursor is 200 characters at most anyway. */
const MAX_VALUE_DEPTH = 4;

/**
 * Whether a decoded `created_at` is a plain value: what this API encodes from a stored
 * document (a date, a number, or whatever another writer stored: a string, a boolean, null,
 * a BSON number), never an operator. The position goes into the page query marked trusted,
 * so a cursor forged with a known secret must not carry `{"$gt": …}`, a `$where` or a
 * regex (an equality with a regex is a pattern match): an object or array is taken only
 * when no key at any depth starts with `$`, and a date only when it names an instant.
 */
export function isPlainValue(value: unknown, depth = 0): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (typeof value !== 'object' || depth >= MAX_VALUE_DEPTH) return false;
  const tag = (value as { _bsontype?: unknown })._bsontype;
  if (tag !== undefined) return typeof tag === 'string' && VALUE_TYPES.has(tag);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== Array.prototype) return false;
  return Object.entries(value).every(
    ([key, item]) => !key.startsWith('$') && isPlainValue(item, depth + 1),
  );
}

/**
 * A cursor's longest form. Its pattern (CURSOR) is in the document, so a string of another
 * form is invalid by the schema too; one of that form is still refused unless this API
 * signed it for the caller.
 */
export const CURSOR_MAX_LENGTH = 200;

/**
 * Encodes a page position as an opaque, signed token: base64url of the position as
 * Extended JSON (so the value keeps its BSON type), a dot, a truncated HMAC. The signature
 * lets the API refuse a forged or truncated cursor with a 400 instead of answering some
 * arbitrary page, and any API process can verify a cursor another one issued, as they
 * share the secret.
 */
@Injectable()
export class PageCursorCodec {
  constructor(private readonly config: AppConfig) {}

  /** A cursor for `ownerId`'s list: the signature covers the owner, so no one else can use it. */
  encode(ownerId: string, position: PagePosition): string {
    const payload = BSON.EJSON.stringify([position.createdAt ?? null, position.id], {
      relaxed: true,
    });
    return `${Buffer.from(payload).toString('base64url')}.${this.sign(ownerId, payload).toString('base64url')}`;
  }

  /** Returns the position, or `undefined` when the cursor is malformed or not `ownerId`'s. */
  decode(ownerId: string, cursor: string): PagePosition | undefined {
    const [encodedPayload, encodedSignature, ...rest] = cursor.split('.');
    if (!encodedPayload || !encodedSignature || rest.length > 0) return undefined;
    const payload = Buffer.from(encodedPayload, 'base64url').toString();
    const signature = Buffer.from(encodedSignature, 'base64url');
    const expected = this.sign(ownerId, payload);
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      return undefined;
    }
    return this.parse(payload);
  }

  private parse(payload: string): PagePosition | undefined {
    try {
      const position: unknown = BSON.EJSON.parse(payload, { relaxed: true });
      if (!Array.isArray(position) || position.length !== 2) return undefined;
      const [createdAt, id] = position as unknown[];
      const valid = typeof id === 'string' && OBJECT_ID.test(id) && isPlainValue(createdAt);
      return valid ? { createdAt, id } : undefined;
    } catch {
      return undefined; // signed with our secret, so never expected; refused all the same
    }
  }

  private sign(ownerId: string, payload: string): Buffer {
    return createHmac('sha256', this.config.cursorSecret)
      .update(`${ownerId}\n${payload}`)
      .digest()
      .subarray(0, SIGNATURE_BYTES);
  }
}
