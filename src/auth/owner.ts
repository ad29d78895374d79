import { trusted, Types } from 'mongoose';
import type { CredentialKind } from './bearer-token.js';
import type { Scope } from './scopes.js';

/** Whose data a request acts on. Services take it explicitly; nothing reads it from a global. */
export interface Owner {
  /** The account's id, 24 hex digits. */
  readonly id: string;
  /**
   * Whether the account is LEGACY_OWNER's: it also holds what has no owner (the original
   * service's todos, and data from before accounts), which no one else ever sees.
   */
  readonly holdsOwnerless: boolean;
}

/** The caller of an authenticated request: the owner, the credential it sent, what it may do. */
export interface Principal extends Owner {
  /**
   * The token's kind and SHA-256 (for logout, and to mark the current session); absent for
   * LEGACY_OWNER's tokenless calls.
   */
  readonly credential?: { readonly kind: CredentialKind; readonly hash: string };
  /** Every scope for a session (and LEGACY_OWNER's tokenless calls); a token's own otherwise. */
  readonly scopes: readonly Scope[];
}

/**
 * The `owner_id` condition selecting what `owner` holds, for Mongoose and the driver alike
 * (the operator is marked trusted, so Mongoose's sanitizeFilter keeps it).
 */
export function ownedBy(owner: Owner): {
  owner_id: Types.ObjectId | { $in: (Types.ObjectId | null)[] };
} {
  const id = new Types.ObjectId(owner.id);
  // A missing field matches null too: the original's documents have no owner_id at all.
  return { owner_id: owner.holdsOwnerless ? trusted({ $in: [id, null] }) : id };
}

/** Whether `owner` holds a record (a job, a file) whose recorded owner is `recorded`. */
export function holds(owner: Owner, recorded: unknown): boolean {
  return recorded === undefined || recorded === null ? owner.holdsOwnerless : recorded === owner.id;
}
