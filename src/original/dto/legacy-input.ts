import { BadRequestException } from '@nestjs/common';
import { CONTENT_MAX_LENGTH } from '../../todos/todo.schema.js';

/**
 * The largest `start` the original route takes. The original took any; past this, a skip
 * costs the database more than any client paging 10 at a time could want (documented 400).
 */
export const LEGACY_MAX_START = 1_000_000;

/** A field of a parsed query or form as Flask's `get` reads it: the first of repeated values. */
function firstValue(fields: unknown, name: string): unknown {
  const raw = (fields as Record<string, unknown> | undefined)?.[name];
  return Array.isArray(raw) ? (raw[0] as unknown) : raw;
}

/**
 * The original's `start = int(start) if start.isdigit() else 0`, for ASCII digits: anything
 * else (absent, `abc`, `-1`, `+5`, ` 5`) is 0, as it was. Only an offset past `LEGACY_MAX_START` is refused.
 */
export function legacyStart(query: unknown): number {
  const value = firstValue(query, 'start');
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value)) return 0;
  const start = Number(value);
  if (start > LEGACY_MAX_START) {
    throw new BadRequestException(`start must not be greater than ${LEGACY_MAX_START}`);
  }
  return start;
}

/**
 * The original's `request.form.get("content")`: the first `content` field, other fields
 * ignored as they were. The service's content rules apply (trimmed, 1 to
 * CONTENT_MAX_LENGTH characters): the original refused an empty one too.
 */
export function legacyContent(body: unknown): string {
  const value = firstValue(body, 'content');
  const content = typeof value === 'string' ? value.trim() : '';
  if (content.length < 1 || content.length > CONTENT_MAX_LENGTH) {
    throw new BadRequestException(
      `content must be a form field of 1 to ${CONTENT_MAX_LENGTH} characters after trimming`,
    );
  }
  return content;
}
