import { Injectable } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import { GridFSBucket, type GridFSBucketReadStream } from 'mongodb';
import type { Connection, Model } from 'mongoose';
import { pipeline } from 'node:stream/promises';
import { ownedBy } from '../auth/owner.js';
import { OwnerScope } from '../auth/owner-scope.js';
import { TodoReader } from '../todos/todo-reader.js';
import { NEWEST_FIRST, Todo } from '../todos/todo.schema.js';
import { CONTENT_TYPES, formatExport } from './export-format.js';
import type { ExportJobData, ExportJobResult } from '../jobs/job-catalogue.js';

/** The GridFS bucket of export files; its indexes are made by `dist/sync-indexes.js` too. */
export const EXPORTS_BUCKET = 'exports';

/**
 * Export files live in GridFS, so any API process can serve what any worker wrote. A file's
 * id is its attempt's (the export record's id and a random part, never the BullMQ job's id,
 * which another deployment or a restored Redis can reuse); the processor keeps the first
 * finished attempt's file and deletes the others, so exactly one is left per export.
 */
@Injectable()
export class ExportFilesService {
  private readonly bucket: GridFSBucket;

  constructor(
    @InjectModel(Todo.name) private readonly todos: Model<Todo>,
    @InjectConnection() connection: Connection,
    private readonly reader: TodoReader,
    private readonly scope: OwnerScope,
  ) {
    // Providers are built after @nestjs/mongoose has connected, so the database is there.
    if (!connection.db) throw new Error('MongoDB is not connected');
    this.bucket = new GridFSBucket(connection.db, { bucketName: EXPORTS_BUCKET });
  }

  /** Writes the export's file; the result without its end (the record sets that). */
  async write(
    target: { jobId: string; fileId: string },
    data: ExportJobData,
    onProgress: (percent: number) => Promise<void>,
  ): Promise<Omit<ExportJobResult, 'expires_at'>> {
    const { jobId, fileId } = target;
    const filter = {
      ...(await this.ownerFilter(data)),
      ...(data.finished === undefined ? {} : { is_finished: data.finished }),
    };
    const total = await this.todos.countDocuments(filter).exec();
    const filename = `todos-${jobId}.${data.format}`;

    let seen = 0;
    let count = 0;
    let reported = 0;
    const records = this.todos.find(filter).sort(NEWEST_FIRST).lean().cursor({ batchSize: 500 });
    const upload = this.bucket.openUploadStreamWithId(fileId as never, filename, {
      metadata: {
        job_id: jobId,
        owner_id: data.owner_id ?? null,
        format: data.format,
        content_type: CONTENT_TYPES[data.format],
      },
    });
    const progress: Promise<void>[] = [];
    await pipeline(
      formatExport(
        records,
        data.format,
        (stored) => this.reader.read(stored, `export ${jobId}`),
        (written) => {
          seen++;
          if (written) count++;
          // Report whole percents only: a few hundred Redis writes at most, whatever the size.
          const percent = Math.floor((seen * 100) / Math.max(total, 1));
          if (percent > reported && percent < 100) {
            reported = percent;
            progress.push(onProgress(percent));
          }
        },
      ),
      upload,
    );
    await Promise.all(progress);
    await onProgress(100);
    return {
      file_id: fileId,
      filename,
      content_type: CONTENT_TYPES[data.format],
      count,
      bytes: upload.length,
    };
  }

  /**
   * The stored file when it exists and records `ownerId` as its owner, or undefined: the
   * record and the file must agree on whose it is before a byte is sent.
   */
  async open(fileId: string, ownerId: string): Promise<GridFSBucketReadStream | undefined> {
    const [file] = await this.bucket
      .find({ _id: fileId as never, 'metadata.owner_id': ownerId })
      .limit(1)
      .toArray();
    return file ? this.bucket.openDownloadStream(file._id) : undefined;
  }

  /** Ids of the files uploaded before `before`, oldest first (the sweep of files left over). */
  async uploadedBefore(before: Date, batch: number): Promise<string[]> {
    const files = await this.bucket
      .find({ uploadDate: { $lte: before } }, { projection: { _id: 1 } })
      .sort({ uploadDate: 1 })
      .limit(batch)
      .toArray();
    return files.map((file) => file._id as unknown as string);
  }

  /** How many files belong to a job (one after it completed, whatever happened). */
  async countFor(jobId: string): Promise<number> {
    return (await this.bucket.find({ 'metadata.job_id': jobId }).toArray()).length;
  }

  /** Deletes every export file of a deleted account (chunks included); how many. */
  async removeOwnedBy(ownerId: string): Promise<number> {
    const files = await this.bucket
      .find({ 'metadata.owner_id': ownerId }, { projection: { _id: 1 } })
      .toArray();
    for (const file of files) await this.remove(file._id as unknown as string);
    return files.length;
  }

  async remove(fileId: string): Promise<void> {
    try {
      await this.bucket.delete(fileId as never);
    } catch {
      // No files document (an attempt killed mid-upload): its chunks are deleted anyway.
    }
  }

  /**
   * The todos an export holds: its owner's (with what has no owner, for LEGACY_OWNER's
   * account, asked as the job runs); a job from before accounts, those with no owner.
   */
  private async ownerFilter(data: ExportJobData) {
    if (data.owner_id === undefined) return { owner_id: null };
    return ownedBy({ id: data.owner_id, holdsOwnerless: await this.scope.is(data.owner_id) });
  }
}
