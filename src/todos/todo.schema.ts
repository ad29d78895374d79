import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type HydratedDocument, type Types } from 'mongoose';

/** The longest `content`, in characters after trimming: the schema and every DTO say so. */
export const CONTENT_MAX_LENGTH = 1000;

/**
 * Field names are snake_case on purpose: they are the names the original service stored,
 * so its data needs no migration, and the API returns them unchanged. `created_at` and
 * `finished_at` are BSON dates when this service writes them, and float epoch seconds when
 * the original did (or this one does, with STORE_ORIGINAL_TIMES): declared `Mixed` so that
 * Mongoose casts neither, and read by `readStoredTodo`, which understands both.
 */
/** A time as this service stores it: a date, or epoch seconds in the original's form. */
export type StoredTime = Date | number;

// strictQuery: a filter on a field the schema does not declare is dropped, never sent.
@Schema({ collection: 'todos', versionKey: false, strict: 'throw', strictQuery: true })
export class Todo {
  /** The account the todo belongs to; absent on the original's todos (see `ownedBy`). */
  @Prop({ type: SchemaTypes.ObjectId })
  owner_id?: Types.ObjectId;

  @Prop({ type: String, required: true, maxlength: CONTENT_MAX_LENGTH })
  content!: string;

  @Prop({ type: SchemaTypes.Mixed, required: true })
  created_at!: StoredTime;

  @Prop({ type: Boolean, required: true, default: false })
  is_finished!: boolean;

  @Prop({ type: SchemaTypes.Mixed, default: null })
  finished_at!: StoredTime | null;

  @Prop({ type: Date, default: null })
  remind_at!: Date | null;

  @Prop({ type: Date, default: null })
  reminded_at!: Date | null;
}

export type TodoDocument = HydratedDocument<Todo>;
/**
 * A todo in this service's own form, times as dates (what it writes unless told to write the
 * original's): seeds and tests build these. What a read returns is a `StoredTodo`.
 */
export type TodoRecord = Omit<Todo, 'created_at' | 'finished_at'> & {
  _id: Types.ObjectId;
  created_at: Date;
  finished_at: Date | null;
};

export const TodoSchema = SchemaFactory.createForClass(Todo);

// The original design's index, kept for any query that sorts by creation time alone.
TodoSchema.index({ created_at: -1 });
/** Newest first; `_id` breaks ties between todos created in the same millisecond. */
export const NEWEST_FIRST = { created_at: -1, _id: -1 } as const;

// Every list is one owner's, newest first: these serve the owner's filter, the sort and the
// keyset range `created_at < t OR (created_at = t AND _id < id)` without a scan, for all
// todos and within one `finished` state (`GET /todos?finished=`).
TodoSchema.index({ owner_id: 1, ...NEWEST_FIRST });
TodoSchema.index({ owner_id: 1, is_finished: 1, ...NEWEST_FIRST });
