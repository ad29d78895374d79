import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { MongoServerError } from 'mongodb';
import { Model, Types } from 'mongoose';
import { User, type UserRecord } from './user.schema.js';

/** What the service shows of an account: never the password's hash. */
export type Account = Omit<UserRecord, 'password_hash' | 'email_key'>;

const ACCOUNT_FIELDS = { email: 1, created_at: 1 } as const;

/** Emails compare case-insensitively: this is the form they are looked up by. */
export const emailKeyOf = (email: string): string => email.trim().toLowerCase();

/** The one writer of the `users` collection. */
@Injectable()
export class UsersRepository {
  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  /**
   * The new account; `null` when the email is taken (the unique index decides, not a read).
   * `legacyOwner`: the operator's LEGACY_OWNER account, made by its command only.
   */
  async create(email: string, passwordHash: string, legacyOwner = false): Promise<Account | null> {
    const user = {
      _id: new Types.ObjectId(),
      email: email.trim(),
      email_key: emailKeyOf(email),
      password_hash: passwordHash,
      created_at: new Date(),
      ...(legacyOwner ? { legacy_owner: true } : {}),
    };
    try {
      await this.users.collection.insertOne(user);
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return null;
      throw error;
    }
    return { _id: user._id, email: user.email, created_at: user.created_at };
  }

  /** The account's id and password hash, for a login; `null` for an unknown email. */
  credentialsOf(email: string): Promise<{ _id: Types.ObjectId; password_hash: string } | null> {
    return this.users
      .findOne({ email_key: emailKeyOf(email) }, { password_hash: 1 })
      .lean<{ _id: Types.ObjectId; password_hash: string }>()
      .exec();
  }

  /** The account's email and password hash, for a password change; `null` when it is gone. */
  credentialsById(
    id: string,
  ): Promise<{ _id: Types.ObjectId; email: string; password_hash: string } | null> {
    return this.users
      .findById(id, { email: 1, password_hash: 1 })
      .lean<{ _id: Types.ObjectId; email: string; password_hash: string }>()
      .exec();
  }

  /** The account of this email with its hash and mark, for the operator's LEGACY_OWNER command. */
  markedCredentialsOf(
    email: string,
  ): Promise<{ _id: Types.ObjectId; password_hash: string; legacy_owner?: boolean } | null> {
    return this.users
      .findOne({ email_key: emailKeyOf(email) }, { password_hash: 1, legacy_owner: 1 })
      .lean<{ _id: Types.ObjectId; password_hash: string; legacy_owner?: boolean }>()
      .exec();
  }

  /** Marks the account as the operator's LEGACY_OWNER one; whether it was there. */
  async markLegacyOwner(id: string): Promise<boolean> {
    const result = await this.users
      .updateOne({ _id: new Types.ObjectId(id) }, { $set: { legacy_owner: true } })
      .exec();
    return result.matchedCount > 0;
  }

  /** Whether the account was there to change. */
  async setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    const result = await this.users
      .updateOne({ _id: new Types.ObjectId(id) }, { $set: { password_hash: passwordHash } })
      .exec();
    return result.matchedCount > 0;
  }

  /** Deletes the account (its email is free at once); whether it was there. */
  async remove(id: string): Promise<boolean> {
    const result = await this.users.deleteOne({ _id: new Types.ObjectId(id) }).exec();
    return result.deletedCount > 0;
  }

  findById(id: string): Promise<Account | null> {
    return this.users.findById(id, ACCOUNT_FIELDS).lean<Account>().exec();
  }

  /** The account of this email if the operator's command marked it as LEGACY_OWNER's. */
  findLegacyOwner(email: string): Promise<Account | null> {
    return this.users
      .findOne({ email_key: emailKeyOf(email), legacy_owner: true }, ACCOUNT_FIELDS)
      .lean<Account>()
      .exec();
  }

  findByEmail(email: string): Promise<Account | null> {
    return this.users
      .findOne({ email_key: emailKeyOf(email) }, ACCOUNT_FIELDS)
      .lean<Account>()
      .exec();
  }
}
