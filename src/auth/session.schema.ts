import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';

@Schema({ collection: 'sessions', versionKey: false, strict: 'throw', strictQuery: true })
export class Session {
  /** SHA-256 of the token (base64url): the token itself is never stored. */
  @Prop({ type: String, required: true })
  token_hash!: string;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  owner_id!: Types.ObjectId;

  @Prop({ type: Date, required: true })
  created_at!: Date;

  /** The absolute end: created_at + SESSION_MAX_DAYS, whatever the use. */
  @Prop({ type: Date, required: true })
  expires_at!: Date;

  /** Written at most once a minute per session. */
  @Prop({ type: Date, required: true })
  last_used_at!: Date;

  /**
   * When the session ends unless used again: the earlier of `expires_at` and `last_used_at`
   * + SESSION_IDLE_DAYS. One field, so one index finds sessions ended either way.
   */
  @Prop({ type: Date, required: true })
  ends_at!: Date;
}

export type SessionRecord = Session & { _id: Types.ObjectId };

export const SessionSchema = SchemaFactory.createForClass(Session);

SessionSchema.index({ token_hash: 1 }, { unique: true });
// Ended sessions are deleted by the worker's maintenance job, by this index. Not a TTL index:
// FerretDB 1.24, the development server, refuses one ("expireAfterSeconds is not implemented
// yet"), and one path that works on both servers beats two. A read checks `ends_at` itself.
SessionSchema.index({ ends_at: 1 });
