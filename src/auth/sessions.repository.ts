import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { Session } from './session.schema.js';

/** What a request needs of a live session. Times in epoch milliseconds. */
export interface LiveSession {
  ownerId: string;
  endsAt: number;
  expiresAt: number;
  lastUsedAt: number;
}

/** The one writer of the `sessions` collection. Operators are marked trusted for sanitizeFilter. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectModel(Session.name) private readonly sessions: Model<Session>) {}

  async create(hash: string, ownerId: string, expiresAt: Date, endsAt: Date): Promise<void> {
    const now = new Date();
    await this.sessions.collection.insertOne({
      _id: new Types.ObjectId(),
      token_hash: hash,
      owner_id: new Types.ObjectId(ownerId),
      created_at: now,
      expires_at: expiresAt,
      last_used_at: now,
      ends_at: endsAt,
    });
  }

  /** The session of this token hash while it has not ended; `null` otherwise. */
  async findLive(hash: string): Promise<LiveSession | null> {
    const found = await this.sessions
      .findOne({ token_hash: hash, ends_at: trusted({ $gt: new Date() }) })
      .lean()
      .exec();
    return found
      ? {
          ownerId: found.owner_id.toHexString(),
          endsAt: found.ends_at.getTime(),
          expiresAt: found.expires_at.getTime(),
          lastUsedAt: found.last_used_at.getTime(),
        }
      : null;
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

  /** Deletes the sessions that have ended (the maintenance job); how many. */
  async removeEnded(): Promise<number> {
    const result = await this.sessions
      .deleteMany({ ends_at: trusted({ $lte: new Date() }) })
      .exec();
    return result.deletedCount;
  }

  /** Ends the session; whether there was one. */
  async remove(hash: string): Promise<boolean> {
    return (await this.sessions.deleteOne({ token_hash: hash }).exec()).deletedCount > 0;
  }
}
