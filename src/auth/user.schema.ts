import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

@Schema({ collection: 'users', versionKey: false, strict: 'throw', strictQuery: true })
export class User {
  /** As registered; shown back to the owner. */
  @Prop({ type: String, required: true })
  email!: string;

  /** The email lowercased: the unique key, as emails are compared case-insensitively. */
  @Prop({ type: String, required: true })
  email_key!: string;

  /** argon2id, in the PHC string form (parameters and salt included). Never leaves the repository. */
  @Prop({ type: String, required: true })
  password_hash!: string;

  @Prop({ type: Date, required: true })
  created_at!: Date;

  /**
   * Set by the operator's `legacy-account` command only: LEGACY_OWNER names an account only
   * when it carries this mark, so one registered with that email through the API (before
   * LEGACY_OWNER was set) never holds the todos without an owner.
   */
  @Prop({ type: Boolean })
  legacy_owner?: boolean;
}

export type UserRecord = User & { _id: Types.ObjectId };

export const UserSchema = SchemaFactory.createForClass(User);

UserSchema.index({ email_key: 1 }, { unique: true });
