import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';
import type { CredentialKind } from './bearer-token.js';
import { SCOPES, type Scope } from './scopes.js';

/**
 * Every bearer credential of an account: sessions (from a login) and personal access tokens
 * (`kind: 'token'`). They differ only in a name, their scopes and having no idle end, and one
 * collection lets one indexed read check either kind of token.
 */
@Schema({ collection: 'sessions', versionKey: false, strict: 'throw', strictQuery: true })
export class Session {
  /** SHA-256 of the token (base64url): the token itself is never stored. */
  @Prop({ type: String, required: true })
  token_hash!: string;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  owner_id!: Types.ObjectId;

  /** Absent on sessions made before tokens existed: those are sessions too. */
  @Prop({ type: String, enum: ['session', 'token'] })
  kind?: CredentialKind;

  /** A token's name, as its owner gave it. */
  @Prop({ type: String })
  name?: string;

  /** A token's scopes; a session holds every scope. */
  @Prop({ type: [String], enum: SCOPES, default: undefined })
  scopes?: Scope[];

  @Prop({ type: Date, required: true })
  created_at!: Date;

  /** The absolute end: a session's created_at + SESSION_MAX_DAYS, a token's chosen end. */
  @Prop({ type: Date, required: true })
  expires_at!: Date;

  /** Written at most once a minute per credential. */
  @Prop({ type: Date, required: true })
  last_used_at!: Date;

  /**
   * When the credential ends unless used again: for a session the earlier of `expires_at` and
   * `last_used_at` + SESSION_IDLE_DAYS, for a token `expires_at`. One field, so one index
   * finds credentials ended either way.
   */
  @Prop({ type: Date, required: true })
  ends_at!: Date;

  /**
   * When a logout, an end or a password change ended it. The record stays (refused) for a
   * day, so the retry of that request, or a repeat, still finds what it ended.
   */
  @Prop({ type: Date })
  ended_at?: Date;

  /** When every API process was told of the end (its Redis entry blocked); unset until then. */
  @Prop({ type: Date })
  told_at?: Date;
}

export type SessionRecord = Session & { _id: Types.ObjectId };

export const SessionSchema = SchemaFactory.createForClass(Session);

SessionSchema.index({ token_hash: 1 }, { unique: true });
// Ended sessions are deleted by the worker's maintenance job, by this index. Not a TTL index:
// FerretDB 1.24, the development server, refuses one ("expireAfterSeconds is not implemented
// yet"), and one path that works on both servers beats two. A read checks `ends_at` itself.
SessionSchema.index({ ends_at: 1 });
// An account's sessions and tokens: its lists, a password change, the account's deletion.
SessionSchema.index({ owner_id: 1, created_at: 1 });
