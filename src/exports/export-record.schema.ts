import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';
import type { ExportFormat, ExportJobResult } from '../jobs/job-catalogue.js';

/**
 * Where an export is in its life. `in_flight`: asked for, not yet written (waiting or
 * running); `completed`: its file is kept until `expires_at`; `failed`: no file; `expired`:
 * its file is deleted, the record stays a while so a download answers 410, not 404.
 */
export type ExportState = 'in_flight' | 'completed' | 'failed' | 'expired';

/**
 * One export of one owner, in MongoDB: what the API trusts for ownership and state, whatever
 * Redis holds (the BullMQ job is trimmed, lost, restored or another deployment's).
 *
 * The per-owner limits are held by two unique indexes instead of counts: a live export holds
 * one of the owner's `run-<n>` slots while in flight and one `keep-<n>` slot until it
 * expires, and releases a slot by writing its own `free-<id>` there. Two requests racing
 * for the last slot, in any processes, cannot both insert it.
 */
@Schema({ collection: 'export_records', versionKey: false, strict: 'throw', strictQuery: true })
export class ExportRecord {
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  owner_id!: Types.ObjectId;

  @Prop({ type: String, required: true })
  state!: ExportState;

  @Prop({ type: String, required: true })
  format!: ExportFormat;

  /**
   * The GridFS file of a completed export: the one its first finished attempt wrote. Each
   * attempt writes a file of its own (`export-<record id>-<random>`, named in `attempt_files`
   * first), so a run taken over as stalled never deletes or mixes the chunks of one still
   * writing, and no other deployment or Redis can name the same file.
   */
  @Prop({ type: String })
  file_id?: string;

  @Prop({ type: [String], default: undefined })
  attempt_files?: string[];

  @Prop({ type: String, required: true })
  run_slot!: string;

  @Prop({ type: String, required: true })
  keep_slot!: string;

  @Prop({ type: Date, required: true })
  created_at!: Date;

  /** Set when the export settles: its file (or its failure) is kept until then. */
  @Prop({ type: Date })
  expires_at?: Date;

  /** The job's result and attempts, for its view once BullMQ has trimmed the job. */
  @Prop({ type: SchemaTypes.Mixed })
  result?: ExportJobResult;

  @Prop({ type: Number })
  attempts_made?: number;

  @Prop({ type: String })
  failed_reason?: string;
}

export type ExportRecordDoc = ExportRecord & { _id: Types.ObjectId };

export const ExportRecordSchema = SchemaFactory.createForClass(ExportRecord);

ExportRecordSchema.index({ owner_id: 1, run_slot: 1 }, { unique: true });
ExportRecordSchema.index({ owner_id: 1, keep_slot: 1 }, { unique: true });
// The maintenance job's sweeps: settled exports by their end, in-flight ones by their age.
ExportRecordSchema.index({ state: 1, expires_at: 1 });
ExportRecordSchema.index({ state: 1, created_at: 1 });
