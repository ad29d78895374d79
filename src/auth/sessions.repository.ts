import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import type { CredentialKind } from './bearer-token.js';
import { ALL_SCOPES, type Scope } from './scopes.js';
import { Session, type SessionRecord } from './session.schema.js';

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

const LISTED = { name: 1, scopes: 1, created_at: 1, last_used_at: 1, expires_at: 1 } as const;

/** Sessions made before tokens existed have no `kind`: they are sessions. */
const ofKind = (kind: CredentialKind): { kind: 'token' | { $ne: 'token' } } =>
  kind === 'token' ? { kind } : { kind: trusted({ $ne: 'token' as const }) };

/**
 * The one writer of the `sessions` collection: sessions and personal access tokens. Methods
 * that end credentials return their hashes, so the caller can block their Redis entries.
 * Operators are marked trusted for sanitizeFilter.
 */
@Injectable()
export class SessionsRepository {
  constructor(@InjectModel(Session.name) private readonly sessions: Model<Session>) {}

  async create(credential: NewCredential): Promise<CredentialRecord> {
    const now = credential.createdAt ?? new Date();
    const record = {
      _id: new Types.ObjectId(),
      token_hash: credential.hash,
      owner_id: new Types.ObjectId(credential.ownerId),
      kind: credential.kind,
      ...(credential.name === undefined ? {} : { name: credential.name }),
      ...(credential.scopes === undefined ? {} : { scopes: credential.scopes }),
      created_at: now,
      expires_at: credential.expiresAt,
      last_used_at: now,
      ends_at: credential.endsAt,
    };
    await this.sessions.collection.insertOne(record);
    return record;
  }

  /** The credential of this token hash while it has not ended; `null` otherwise. */
  async findLive(hash: string): Promise<LiveSession | null> {
    const found = await this.sessions
      .findOne({ token_hash: hash, ends_at: trusted({ $gt: new Date() }) })
      .lean()
      .exec();
    if (!found) return null;
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

  /** The owner's live credentials of one kind, oldest first. */
  listLive(
    ownerId: string,
    kind: CredentialKind,
  ): Promise<(CredentialRecord & { token_hash: string })[]> {
    return this.sessions
      .find(
        {
          owner_id: new Types.ObjectId(ownerId),
          ...ofKind(kind),
          ends_at: trusted({ $gt: new Date() }),
        },
        { ...LISTED, token_hash: 1 },
      )
      .sort({ created_at: 1, _id: 1 })
      .lean<(CredentialRecord & { token_hash: string })[]>()
      .exec();
  }

  /** How many live tokens the owner has. */
  countLiveTokens(ownerId: string): Promise<number> {
    return this.sessions
      .countDocuments({
        owner_id: new Types.ObjectId(ownerId),
        ...ofKind('token'),
        ends_at: trusted({ $gt: new Date() }),
      })
      .exec();
  }

  /**
   * Records a use at `now`, unless one was recorded since `unusedSince` (another process got
   * there first); whether this call wrote it.
   */
  async touch(hash: string, now: Date, endsAt: Date, unusedSince: Date): Promise<boolean> {
    const result = await this.sessions
      .updateOne(
        { token_hash: hash, last_used_at: trusted({ $lt: unusedSince }) },
        { $set: { last_used_at: now, ends_at: endsAt } },
      )
      .exec();
    return result.modifiedCount > 0;
  }

  /** Deletes the credentials that have ended (the maintenance job); how many. */
  async removeEnded(): Promise<number> {
    const result = await this.sessions
      .deleteMany({ ends_at: trusted({ $lte: new Date() }) })
      .exec();
    return result.deletedCount;
  }

  /** Ends the credential of this hash; whether there was one. */
  async remove(hash: string): Promise<boolean> {
    return (await this.sessions.deleteOne({ token_hash: hash }).exec()).deletedCount > 0;
  }

  /** Ends the owner's credential of this kind and id; its hash, `undefined` when it has none. */
  async removeOne(ownerId: string, kind: CredentialKind, id: string): Promise<string | undefined> {
    // No projection: FerretDB 1.24 refuses one on findAndModify ("fields" not implemented).
    const removed = await this.sessions
      .findOneAndDelete({
        _id: new Types.ObjectId(id),
        owner_id: new Types.ObjectId(ownerId),
        ...ofKind(kind),
      })
      .lean()
      .exec();
    return removed?.token_hash;
  }

  /**
   * Ends the owner's credentials matching `filter` (all of them without one); their hashes.
   * The hashes are read first; one made between the read and the delete is deleted too, but
   * if it was used in that instant its Redis entry is not blocked and lives out its minute.
   */
  async removeOwnedBy(
    ownerId: string,
    filter: { kind?: CredentialKind; name?: string; exceptHash?: string } = {},
  ): Promise<string[]> {
    const query = {
      owner_id: new Types.ObjectId(ownerId),
      ...(filter.kind === undefined ? {} : ofKind(filter.kind)),
      ...(filter.name === undefined ? {} : { name: filter.name }),
      ...(filter.exceptHash === undefined
        ? {}
        : { token_hash: trusted({ $ne: filter.exceptHash }) }),
    };
    const found = await this.sessions.find(query, { token_hash: 1 }).lean().exec();
    if (found.length === 0) return [];
    await this.sessions.deleteMany(query).exec();
    return found.map((credential) => credential.token_hash);
  }
}
