import { trusted, Types } from 'mongoose';
import type { CredentialKind } from './bearer-token.js';
import { ALL_SCOPES, type Scope } from './scopes.js';
import type { SessionRecord } from './session.schema.js';

/** The shapes the sessions repository takes and gives, and the filters it builds. */

/** What a request needs of a live credential. Times in epoch milliseconds. */
export interface LiveSession {
  ownerId: string;
  kind: CredentialKind;
  scopes: readonly Scope[];
  endsAt: number;
  expiresAt: number;
  lastUsedAt: number;
}

/** A credential as its owner sees it listed: never its hash. */
export type CredentialRecord = Pick<
  SessionRecord,
  '_id' | 'name' | 'scopes' | 'created_at' | 'last_used_at' | 'expires_at'
>;

export interface NewCredential {
  kind: CredentialKind;
  hash: string;
  ownerId: string;
  expiresAt: Date;
  endsAt: Date;
  /** When it is made (default: now): the moment its expiry was counted from. */
  createdAt?: Date;
  /** A token's. */
  name?: string;
  scopes?: Scope[];
}

/** Which credentials of an owner an end selects. */
export interface EndedFilter {
  ownerId: string;
  kind?: CredentialKind;
  id?: string;
  hash?: string;
  /** Every one but this hash's. */
  exceptHash?: string;
  /** A token's name. */
  name?: string;
  ids?: readonly Types.ObjectId[];
}

/** An `EndedFilter` within one owner's credentials. */
export type OwnedFilter = Omit<EndedFilter, 'ownerId'>;

export interface EndingCredential {
  _id: Types.ObjectId;
  token_hash: string;
  ended_at: Date;
}

/** How long an end not yet told to every process is kept for its retry. */
export const ENDING_KEPT_MS = 86_400_000;

export const LISTED = {
  name: 1,
  scopes: 1,
  created_at: 1,
  last_used_at: 1,
  expires_at: 1,
} as const;

/** Sessions made before tokens existed have no `kind`: they are sessions. */
export const ofKind = (kind: CredentialKind): { kind: 'token' | { $ne: 'token' } } =>
  kind === 'token' ? { kind } : { kind: trusted({ $ne: 'token' as const }) };

export const ownedLive = (ownerId: string) => ({
  owner_id: new Types.ObjectId(ownerId),
  ends_at: trusted({ $gt: new Date() }),
});

export function selected(filter: EndedFilter): Record<string, unknown> {
  const hashes = {
    ...(filter.hash === undefined ? {} : { $eq: filter.hash }),
    ...(filter.exceptHash === undefined ? {} : { $ne: filter.exceptHash }),
  };
  return {
    owner_id: new Types.ObjectId(filter.ownerId),
    ...(filter.kind === undefined ? {} : ofKind(filter.kind)),
    ...(filter.id === undefined ? {} : { _id: new Types.ObjectId(filter.id) }),
    ...(filter.ids === undefined ? {} : { _id: trusted({ $in: filter.ids }) }),
    ...(filter.name === undefined ? {} : { name: filter.name }),
    ...(Object.keys(hashes).length === 0 ? {} : { token_hash: trusted(hashes) }),
  };
}

/** What a request needs of a stored credential. */
export function liveOf(found: SessionRecord): LiveSession {
  const kind = found.kind === 'token' ? 'token' : 'session';
  return {
    ownerId: found.owner_id.toHexString(),
    kind,
    scopes: kind === 'token' ? (found.scopes ?? []) : ALL_SCOPES,
    endsAt: found.ends_at.getTime(),
    expiresAt: found.expires_at.getTime(),
    lastUsedAt: found.last_used_at.getTime(),
  };
}

/** Not ended by a request (logout, a session's or token's end, a password change). */
export const notEnded = () => ({ ended_at: trusted({ $exists: false }) });
