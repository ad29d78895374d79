import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { MongoServerError } from 'mongodb';
import { Model, trusted, Types } from 'mongoose';
import { ExportRecord, type ExportRecordDoc } from './export-record.schema.js';
import { free, freeSlot, newExportId } from './export-slots.js';
import { OBJECT_ID } from '../common/patterns.js';
import type { ExportFormat, ExportJobResult } from '../jobs/job-catalogue.js';

export interface ExportLimits {
  running: number;
  kept: number;
}

/** A reserved export, or which limit refused it. */
export type Reservation = { record: ExportRecordDoc } | { refused: 'running' | 'kept' };

/** Rounds of read-then-insert before a request that keeps losing its slot is refused. */
const RESERVE_TRIES = 5;
const DUPLICATE_KEY = 11000;

/** The one writer of `export_records`. Operators are marked trusted for sanitizeFilter. */
@Injectable()
export class ExportRecordsRepository {
  constructor(@InjectModel(ExportRecord.name) private readonly records: Model<ExportRecord>) {}

  /** Inserts an in-flight export of the owner if both limits leave it a slot. */
  async reserve(ownerId: string, format: ExportFormat, limits: ExportLimits): Promise<Reservation> {
    const owner = new Types.ObjectId(ownerId);
    for (let attempt = 0; attempt < RESERVE_TRIES; attempt++) {
      await this.releaseDueSlots(owner);
      const held = await this.records
        .find({ owner_id: owner }, { run_slot: 1, keep_slot: 1 })
        .lean()
        .exec();
      const run = freeSlot('run', limits.running, new Set(held.map((r) => r.run_slot)));
      if (!run) return { refused: 'running' };
      const keep = freeSlot('keep', limits.kept, new Set(held.map((r) => r.keep_slot)));
      if (!keep) return { refused: 'kept' };
      const id = newExportId();
      const record: ExportRecordDoc = {
        _id: id,
        owner_id: owner,
        state: 'in_flight',
        format,
        run_slot: run,
        keep_slot: keep,
        created_at: new Date(),
      };
      try {
        await this.records.collection.insertOne(record);
        return { record };
      } catch (error) {
        // Another request took the slot between the read and the insert: read again.
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
    }
    return { refused: 'running' };
  }

  /** A settled export past its end keeps no slot, though the sweep has not deleted it yet. */
  private async releaseDueSlots(owner: Types.ObjectId): Promise<void> {
    const due = await this.records
      .find(
        { owner_id: owner, keep_slot: /^keep-/, expires_at: trusted({ $lte: new Date() }) },
        { _id: 1 },
      )
      .lean()
      .exec();
    for (const { _id } of due) {
      await this.records.updateOne({ _id }, { $set: { keep_slot: free(_id) } }).exec();
    }
  }

  /** Undoes a reservation whose job could not be queued. */
  async remove(id: Types.ObjectId): Promise<void> {
    await this.records.deleteOne({ _id: id }).exec();
  }

  /** The owner's export of this id (an id that is no ObjectId is no export). */
  findOwned(ownerId: string, id: string): Promise<ExportRecordDoc | null> {
    if (!OBJECT_ID.test(id)) return Promise.resolve(null);
    return this.records
      .findOne({ _id: new Types.ObjectId(id), owner_id: new Types.ObjectId(ownerId) })
      .lean<ExportRecordDoc>()
      .exec();
  }

  /** The export while it is in flight: what a job checks before it writes a file. */
  findInFlight(id: string): Promise<ExportRecordDoc | null> {
    if (!OBJECT_ID.test(id)) return Promise.resolve(null);
    return this.records
      .findOne({ _id: new Types.ObjectId(id), state: 'in_flight' })
      .lean<ExportRecordDoc>()
      .exec();
  }

  /** Names the file an attempt is about to write; false when the export is not in flight. */
  async addAttempt(id: Types.ObjectId, fileId: string): Promise<boolean> {
    const updated = await this.records
      .updateOne({ _id: id, state: 'in_flight' }, { $push: { attempt_files: fileId } })
      .exec();
    return updated.matchedCount > 0;
  }

  /** Settles an in-flight export; false when it is not in flight any more (expired, deleted). */
  async settle(
    id: Types.ObjectId,
    outcome:
      { state: 'completed'; result: ExportJobResult } | { state: 'failed'; failed_reason: string },
    attemptsMade: number,
    expiresAt: Date,
  ): Promise<boolean> {
    const keep =
      outcome.state === 'failed' ? { keep_slot: free(id) } : { file_id: outcome.result.file_id };
    const updated = await this.records
      .updateOne(
        { _id: id, state: 'in_flight' },
        {
          $set: {
            ...outcome,
            ...keep,
            run_slot: free(id),
            attempts_made: attemptsMade,
            expires_at: expiresAt,
          },
        },
      )
      .exec();
    return updated.matchedCount > 0;
  }

  /** Settled exports past their end, oldest first. */
  due(now: Date, batch: number): Promise<ExportRecordDoc[]> {
    return this.records
      .find({
        state: trusted({ $in: ['completed', 'failed'] }),
        expires_at: trusted({ $lte: now }),
      })
      .sort({ expires_at: 1 })
      .limit(batch)
      .lean<ExportRecordDoc[]>()
      .exec();
  }

  /** In-flight exports asked for before `before`: the sweep checks their jobs still exist. */
  inFlightSince(before: Date, batch: number): Promise<ExportRecordDoc[]> {
    return this.records
      .find({ state: 'in_flight', created_at: trusted({ $lte: before }) })
      .sort({ created_at: 1 })
      .limit(batch)
      .lean<ExportRecordDoc[]>()
      .exec();
  }

  /** Marks an export expired: its file is gone, it holds no slot. */
  async expire(id: Types.ObjectId, from: ExportRecordDoc['state']): Promise<boolean> {
    const updated = await this.records
      .updateOne(
        { _id: id, state: from },
        { $set: { state: 'expired', run_slot: free(id), keep_slot: free(id) } },
      )
      .exec();
    return updated.matchedCount > 0;
  }

  /** Deletes the records of exports expired before `before`; how many. */
  async removeExpiredBefore(before: Date): Promise<number> {
    const result = await this.records
      .deleteMany({ state: 'expired', expires_at: trusted({ $lte: before }) })
      .exec();
    return result.deletedCount;
  }

  /** Whether a kept export owns this file (the sweep of files without one). */
  async keepsFile(fileId: string): Promise<boolean> {
    return (await this.records.countDocuments({ file_id: fileId, state: 'completed' })) > 0;
  }

  /** Deletes every record of a deleted account; how many. */
  async removeOwnedBy(ownerId: string): Promise<number> {
    const result = await this.records.deleteMany({ owner_id: new Types.ObjectId(ownerId) }).exec();
    return result.deletedCount;
  }
}
