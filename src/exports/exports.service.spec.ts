import { Readable } from 'node:stream';
import {
  ConflictException,
  GoneException,
  NotFoundException,
  ServiceUnavailableException,
  StreamableFile,
} from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Types } from 'mongoose';
import { RetryLaterException } from '../common/retry-later.exception.js';
import { loadConfig } from '../config/configuration.js';
import { ALICE, BOB, LEGACY } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import type { ExportFilesService } from './export-files.service.js';
import type { ExportRecordDoc } from './export-record.schema.js';
import type { ExportRecordsRepository, Reservation } from './export-records.repository.js';
import { ExportsService } from './exports.service.js';
import type { ExportJobResult } from '../jobs/job-catalogue.js';
import { producerOf } from '../../test/unit/job-queues.js';

/** The real producer over one fake queue: the deadline and the names are the producer's. */

const ID = new Types.ObjectId('6b1602aa74d0f8a1f63c8232');
const RESULT: ExportJobResult = {
  file_id: `export-${ID.toHexString()}`,
  filename: 'todos-x.csv',
  content_type: 'text/csv; charset=utf-8',
  count: 3,
  bytes: 120,
  expires_at: '2026-12-08T00:00:00.000Z',
};
const HOUR = 3_600_000;

const record = (overrides: Partial<ExportRecordDoc> = {}): ExportRecordDoc => ({
  _id: ID,
  owner_id: new Types.ObjectId(ALICE.id),
  state: 'completed',
  format: 'csv',
  file_id: RESULT.file_id,
  run_slot: `free-${ID.toHexString()}`,
  keep_slot: 'keep-0',
  created_at: new Date(),
  expires_at: new Date(Date.now() + HOUR),
  result: RESULT,
  ...overrides,
});

const config = loadConfig({ EXPORT_MAX_RUNNING: '3', EXPORT_MAX_KEPT: '20' });
const service = (
  records: Partial<Record<keyof ExportRecordsRepository, unknown>>,
  files: Partial<Record<keyof ExportFilesService, unknown>> = {},
  queue: Partial<Record<keyof Queue, unknown>> = {},
) =>
  new ExportsService(
    producerOf(strictFake<Queue>('exports queue', queue)),
    strictFake<ExportFilesService>('files', files),
    strictFake<ExportRecordsRepository>('records', records),
    config,
  );

describe('ExportsService', () => {
  describe('download', () => {
    const found = (doc: ExportRecordDoc | null) => ({ findOwned: () => Promise.resolve(doc) });

    it("is a 404 for an unknown export or another owner's, looked up by the owner", async () => {
      const records = strictFake<ExportRecordsRepository>('records', found(null));
      const exports = new ExportsService(strictFake('jobs'), strictFake('files'), records, config);
      await expect(exports.download(BOB, ID.toHexString())).rejects.toThrow(
        new NotFoundException(`export ${ID.toHexString()} not found`),
      );
      expect(records.mocks.findOwned).toHaveBeenCalledWith(BOB.id, ID.toHexString());
    });

    it.each([
      ['expired by the sweep', { state: 'expired' as const }],
      ['past its end, not swept yet', { expires_at: new Date(Date.now() - 1) }],
      ['failed, past its end', { state: 'failed' as const, expires_at: new Date(0) }],
    ])('is a 410 for an export %s, without opening a file', async (_name, overrides) => {
      await expect(service(found(record(overrides))).download(ALICE, 'x')).rejects.toThrow(
        GoneException,
      );
    });

    it.each([
      ['in flight', { state: 'in_flight' as const, expires_at: undefined, result: undefined }],
      ['failed', { state: 'failed' as const, result: undefined }],
    ])('is a 409 naming an export %s', async (state, overrides) => {
      const error = await service(found(record(overrides)))
        .download(ALICE, 'x')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictException);
      expect((error as Error).message).toContain(`(${state})`);
    });

    it("opens the record's file for the owner only, and is a 404 when it is not there", async () => {
      const exports = service(found(record()), { open: () => Promise.resolve(undefined) });
      await expect(exports.download(ALICE, 'x')).rejects.toThrow(NotFoundException);
    });

    it('streams the file, with its type, name and length, needing no queue', async () => {
      const stream = Readable.from(['a,b\n']);
      const files = strictFake<ExportFilesService>('files', {
        open: () => Promise.resolve(stream),
      });
      const records = strictFake<ExportRecordsRepository>('records', found(record()));
      const file = await new ExportsService(strictFake('jobs'), files, records, config).download(
        ALICE,
        'x',
      );
      expect(files.mocks.open).toHaveBeenCalledWith(RESULT.file_id, ALICE.id);
      expect(file).toBeInstanceOf(StreamableFile);
      expect(file.getStream()).toBe(stream);
      expect(file.getHeaders()).toEqual({
        type: RESULT.content_type,
        disposition: `attachment; filename="${RESULT.filename}"`,
        length: RESULT.bytes,
      });
    });
  });

  describe('request', () => {
    const reserved: Reservation = { record: record({ state: 'in_flight' }) };
    const queue = () =>
      strictFake<Queue>('exports queue', { name: 'exports', add: () => Promise.resolve({}) });
    const records = (reservation: Reservation = reserved) =>
      strictFake<ExportRecordsRepository>('records', {
        reserve: () => Promise.resolve(reservation),
        remove: () => Promise.resolve(),
      });

    it("reserves within the owner's limits, then queues the job under the record's id", async () => {
      const exports = queue();
      const kept = records();
      const accepted = await new ExportsService(
        producerOf(exports),
        strictFake('files'),
        kept,
        config,
      ).request(ALICE, { format: 'csv', finished: false });
      const id = ID.toHexString();
      expect(kept.mocks.reserve).toHaveBeenCalledWith(ALICE.id, 'csv', { running: 3, kept: 20 });
      expect(exports.mocks.add).toHaveBeenCalledWith(
        'exports.build',
        { format: 'csv', owner_id: ALICE.id, finished: false },
        { jobId: id, removeOnComplete: { age: 86_400, count: 1_000 } },
      );
      expect(accepted).toEqual({
        job_id: id,
        status_url: `/jobs/exports/${id}`,
        download_url: `/todos/exports/${id}/download`,
      });
    });

    it('records only the owner, for LEGACY_OWNER too: what it holds is asked as the job runs', async () => {
      const exports = queue();
      await new ExportsService(producerOf(exports), strictFake('files'), records(), config).request(
        LEGACY,
        {
          format: 'json',
        },
      );
      const [[, data]] = exports.mocks.add.mock.calls as unknown as [[string, unknown]];
      expect(data).toStrictEqual({ format: 'json', owner_id: LEGACY.id });
    });

    it('is a 429 with Retry-After at the running limit and a 409 at the kept one, queuing nothing', async () => {
      const running = await service(records({ refused: 'running' }))
        .request(ALICE, { format: 'csv' })
        .catch((e: unknown) => e);
      expect(running).toBeInstanceOf(RetryLaterException);
      expect((running as RetryLaterException).retryAfterSeconds).toBe(10);
      await expect(
        service(records({ refused: 'kept' })).request(ALICE, { format: 'csv' }),
      ).rejects.toThrow(ConflictException);
    });

    it('gives the slots back when the job cannot be queued', async () => {
      const kept = records();
      const down = strictFake<Queue>('exports queue', {
        name: 'exports',
        add: () => Promise.reject(new Error('connection is closed')),
      });
      await expect(
        new ExportsService(producerOf(down), strictFake('files'), kept, config).request(ALICE, {
          format: 'csv',
        }),
      ).rejects.toThrow(ServiceUnavailableException);
      expect(kept.mocks.remove).toHaveBeenCalledWith(ID);
    });
  });
});
