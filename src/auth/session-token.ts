import { createHash, randomBytes } from 'node:crypto';

/**
 * A session token: `tdo_s_`, the owner's id (24 hex), then 32 random bytes (base64url). The
 * prefix lets secret scanners find leaked tokens; the owner's id lets one Redis read fetch
 * the session, the owner's cache generation and the view together. Only the SHA-256 of the
 * whole token is stored, so the id cannot be changed without the hash changing too.
 */
const SESSION_TOKEN = /^tdo_s_([0-9a-f]{24})[A-Za-z0-9_-]{43}$/;
const PREFIX = 'tdo_s_';
const SECRET_BYTES = 32;

export interface ReadToken {
  ownerId: string;
  hash: string;
}

export function newSessionToken(ownerId: string): { token: string; hash: string } {
  const token = `${PREFIX}${ownerId}${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { token, hash: tokenHash(token) };
}

/** The token's owner and hash, or `undefined` when it is not a session token's shape. */
export function readSessionToken(token: string): ReadToken | undefined {
  const match = SESSION_TOKEN.exec(token);
  return match ? { ownerId: match[1], hash: tokenHash(token) } : undefined;
}

export const tokenHash = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

/** The credentials of an `Authorization: Bearer <token>` header (RFC 6750: any case of the scheme). */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.length < 8) return undefined;
  return header.slice(0, 7).toLowerCase() === 'bearer ' ? header.slice(7).trim() : undefined;
}
