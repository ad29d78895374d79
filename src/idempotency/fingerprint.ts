import { createHash } from 'node:crypto';

/**
 * A digest of a parsed request body, the same for equal fields whatever their order or the
 * body's media type (`{"content":"a"}` and `content=a`), so a retry sent as a form matches
 * its JSON original. Keys are sorted at every level; arrays keep their order.
 */
export function fingerprintOf(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)) ?? 'null')
    .digest('base64url');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}
