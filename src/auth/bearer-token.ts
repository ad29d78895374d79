import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer tokens: `tdo_s_` (a session, from a login) or `tdo_pat_` (a personal access token),
 * the owner's id (24 hex), then 32 random bytes (base64url). The prefix lets secret scanners
 * find leaked tokens and tells which kind a token is; the owner's id lets one Redis read
 * fetch the credential, the owner's cache generation and the view together. Only the SHA-256
 * of the whole token is stored, so the id cannot be changed without the hash changing too.
 */
const TOKEN = /^tdo_(s|pat)_([0-9a-f]{24})[A-Za-z0-9_-]{43}$/;
const SECRET_BYTES = 32;

/** `session`: from a login, every scope. `token`: a personal access token, its own scopes. */
export type CredentialKind = 'session' | 'token';

const PREFIXES: Record<CredentialKind, string> = { session: 'tdo_s_', token: 'tdo_pat_' };
const KINDS: Record<string, CredentialKind> = { s: 'session', pat: 'token' };

export interface ReadToken {
  kind: CredentialKind;
  ownerId: string;
  hash: string;
}

export function newToken(kind: CredentialKind, ownerId: string): { token: string; hash: string } {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  const token = `${PREFIXES[kind]}${ownerId}${secret}`;
  return { token, hash: tokenHash(token) };
}

/** The token's kind, owner and hash, or `undefined` when it has neither token's shape. */
export function readToken(token: string): ReadToken | undefined {
  const match = TOKEN.exec(token);
  return match ? { kind: KINDS[match[1]], ownerId: match[2], hash: tokenHash(token) } : undefined;
}

export const tokenHash = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

/** The credentials of an `Authorization: Bearer <token>` header (RFC 6750: any case of the scheme). */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.length < 8) return undefined;
  return header.slice(0, 7).toLowerCase() === 'bearer ' ? header.slice(7).trim() : undefined;
}
