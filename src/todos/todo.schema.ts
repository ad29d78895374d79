import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument, Types } from 'mongoose';

/** The longest `content`, in characters after trimming: the schema and every DTO say so. */
export const CONTENT_MAX_LENGTH = 1000;

/**
 * Field names are snake_case on purpose: they are the names the original service stored,
 * so its data needs no migration, and the API returns them unchanged.
 */
// strictQuery: a filter on a field the schema does not declare is dropped, never sent.
@Schema({ collection: 'todos', versionKey: false, strict: 'throw', strictQuery: true })
export class Todo {
  @Prop({ type: String, required: true, maxlength: CONTENT_MAX_LENGTH })
  content!: string;

  @Prop({ type: Date, required: true, default: () => new Date() })
  created_at!: Date;

  @Prop({ type: Boolean, required: true, default: false })
  is_finished!: boolean;

  @Prop({ type: Date, default: null })
  finished_at!: Date | null;

  @Prop({ type: Date, default: null })
  remind_at!: Date | null;

  @Prop({ type: Date, default: null })
  reminded_at!: Date | null;
}

export type TodoDocument = HydratedDocument<Todo>;
/** What `lean()` returns: the stored fields and the id, no Mongoose document around them. */
export type TodoRecord = Todo & { _id: Types.ObjectId };

export const TodoSchema = SchemaFactory.createForClass(Todo);

// The original design's index, kept for any query that sorts by creation time alone.
TodoSchema.index({ created_at: -1 });
/** Newest first; `_id` breaks ties between todos created in the same millisecond. */
export const NEWEST_FIRST = { created_at: -1, _id: -1 } as const;

// Keyset pagination sorts by NEWEST_FIRST; this index serves both the sort and the
// `created_at < t OR (created_at = t AND _id < id)` range without a scan.
TodoSchema.index(NEWEST_FIRST);
// The same order within one `finished` state, for `GET /todos?finished=`.
TodoSchema.index({ is_finished: 1, created_at: -1, _id: -1 });
