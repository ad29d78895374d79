import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import type { CredentialKind } from './bearer-token.js';
import {
  ENDING_KEPT_MS,
  LISTED,
  liveOf,
  notEnded,
  ofKind,
  ownedLive,
  selected,
  type CredentialRecord,
  type EndedFilter,
  type EndingCredential,
  type LiveSession,
  type NewCredential,
  type OwnedFilter,
} from './credential-filters.js';
import { Session } from './session.schema.js';

export type {
  CredentialRecord,
  LiveSession,
  NewCredential,
  OwnedFilter,
} from './credential-filters.js';

/**
 * The one writer of the `sessions` collection: sessions and personal access tokens. An end
 * is recorded first, and that every process was told of it after (`AccessTokens`).
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
      .findOne({ token_hash: hash, ends_at: trusted({ $gt: new Date() }), ...notEnded() })
      .lean()
      .exec();
    return found ? liveOf(found) : null;
  }

  /** The owner's live credentials of one kind, oldest first. */
  listLive(
    ownerId: string,
    kind: CredentialKind,
  ): Promise<(CredentialRecord & { token_hash: string })[]> {
    return this.sessions
      .find({ ...ownedLive(ownerId), ...ofKind(kind) }, { ...LISTED, token_hash: 1 })
      .sort({ created_at: 1, _id: 1 })
      .lean<(CredentialRecord & { token_hash: string })[]>()
      .exec();
  }

  /** How many live tokens the owner has. */
  countLiveTokens(ownerId: string): Promise<number> {
    return this.sessions.countDocuments({ ...ownedLive(ownerId), ...ofKind('token') }).exec();
  }

  /**
   * Records a use at `now`, unless one was recorded since `unusedSince` (another process got
   * there first) or the credential was ended (a use read before a logout must not move its
   * end again); whether this call wrote it.
   */
  async touch(hash: string, now: Date, endsAt: Date, unusedSince: Date): Promise<boolean> {
    const result = await this.sessions
      .updateOne(
        { token_hash: hash, last_used_at: trusted({ $lt: unusedSince }), ...notEnded() },
        { $set: { last_used_at: now, ends_at: endsAt } },
      )
      .exec();
    return result.modifiedCount > 0;
  }

  /**
   * Deletes the credentials that have ended (the maintenance job); how many. One a request
   * ended is kept for a day, so a retry of that request still finds it.
   */
  async removeEnded(): Promise<number> {
    const now = Date.now();
    const result = await this.sessions
      .deleteMany({
        ends_at: trusted({ $lte: new Date(now) }),
        $or: trusted([
          // Each operator trusted itself: the array's mark does not reach its items' values.
          { ended_at: trusted({ $exists: false }) },
          { ended_at: trusted({ $lte: new Date(now - ENDING_KEPT_MS) }) },
        ]),
      })
      .exec();
    return result.deletedCount;
  }

  /**
   * Ends the credentials `filter` selects in MongoDB, recording the end (`ended_at`) until
   * every process was told of it (`markTold`); how many it ended now.
   */
  async markEnded(filter: EndedFilter): Promise<number> {
    const now = new Date();
    const result = await this.sessions
      .updateMany({ ...selected(filter), ...notEnded() }, { $set: { ends_at: now, ended_at: now } })
      .exec();
    return result.modifiedCount;
  }

  /** Whether the owner has a credential this filter selects that a request ended. */
  async wasEnded(filter: EndedFilter): Promise<boolean> {
    const found = await this.sessions
      .exists({ ...selected(filter), ended_at: trusted({ $exists: true }) })
      .exec();
    return found !== null;
  }

  /** The owner of the session with this hash, if a request ended it; `undefined` otherwise. */
  async endedOwnerOf(hash: string): Promise<string | undefined> {
    const found = await this.sessions
      .findOne({ token_hash: hash, ended_at: trusted({ $exists: true }) }, { owner_id: 1 })
      .lean()
      .exec();
    return found?.owner_id.toHexString();
  }

  /** The owner's credentials ended but not yet told to every process. */
  untold(ownerId: string): Promise<EndingCredential[]> {
    return this.sessions
      .find(
        {
          ...{ owner_id: new Types.ObjectId(ownerId), ended_at: trusted({ $exists: true }) },
          told_at: trusted({ $exists: false }),
        },
        { token_hash: 1, ended_at: 1 },
      )
      .lean<EndingCredential[]>()
      .exec();
  }

  async markTold(ids: readonly Types.ObjectId[]): Promise<void> {
    if (ids.length === 0) return;
    await this.sessions
      .updateMany({ _id: trusted({ $in: ids }) }, { $set: { told_at: new Date() } })
      .exec();
  }

  /** The owner's live sessions past the newest `keep`, oldest last. */
  async sessionsPast(ownerId: string, keep: number): Promise<Types.ObjectId[]> {
    const found = await this.sessions
      .find({ ...ownedLive(ownerId), ...ofKind('session') }, { _id: 1 })
      .sort({ created_at: -1, _id: -1 })
      .skip(keep)
      .lean()
      .exec();
    return found.map((session) => session._id);
  }

  /** When the credential of this hash was made (a session: its sign-in); `undefined` if none. */
  async createdAtOf(hash: string): Promise<Date | undefined> {
    const found = await this.sessions
      .findOne({ token_hash: hash }, { created_at: 1 })
      .lean()
      .exec();
    return found?.created_at;
  }

  /** The hashes of the owner's credentials `filter` selects (all of them without one). */
  async hashesOwnedBy(ownerId: string, filter: OwnedFilter = {}): Promise<string[]> {
    const query = selected({ ownerId, ...filter });
    const found = await this.sessions.find(query, { token_hash: 1 }).lean().exec();
    return found.map((credential) => credential.token_hash);
  }

  /** Deletes the owner's credentials `filter` selects (all of them without one). */
  async removeOwnedBy(ownerId: string, filter: OwnedFilter = {}): Promise<void> {
    await this.sessions.deleteMany(selected({ ownerId, ...filter })).exec();
  }
}
