import { type Job, UnrecoverableError } from 'bullmq';
import { Types } from 'mongoose';
import { loadConfig } from '../config/configuration.js';
import { ALICE } from '../testing/owners.js';
import { strictFake } from '../testing/strict-fake.js';
import type { ExportFilesService } from './export-files.service.js';
import type { ExportJobData, ExportJobResult } from './export-job.js';
import type { ExportRecordDoc } from './export-record.schema.js';
import type { ExportRecordsRepository } from './export-records.repository.js';
import { ExportsProcessor } from './exports.processor.js';

const ID = new Types.ObjectId('6b1602aa74d0f8a1f63c8232');
const WRITTEN = {
  file_id: `export-${ID.toHexString()}`,
  filename: 'todos-7.json',
  content_type: 'application/json; charset=utf-8',
  count: 2,
  bytes: 80,
};
const RECORD = {
  _id: ID,
  owner_id: new Types.ObjectId(ALICE.id),
  file_id: WRITTEN.file_id,
  state: 'in_flight',
} as ExportRecordDoc;
const DATA: ExportJobData = { format: 'json', owner_id: ALICE.id, finished: true };
const config = loadConfig({ EXPORT_TTL_HOURS: '2' });

const jobOf = (attemptsMade = 0) =>
  strictFake<Job<ExportJobData, ExportJobResult>>('job', {
    id: ID.toHexString(),
    data: DATA,
    attemptsMade,
    opts: { attempts: 3 },
    updateProgress: () => Promise.resolve(),
  });

const writing = (write: () => Promise<unknown> = () => Promise.resolve(WRITTEN)) =>
  strictFake<ExportFilesService>('files', {
    write: async (_t: unknown, _d: unknown, onProgress: (p: number) => Promise<void>) => {
      await onProgress(50);
      return write();
    },
    remove: () => Promise.resolve(),
  });

describe('ExportsProcessor', () => {
  it("writes the record's file, reports progress and settles it completed for EXPORT_TTL_HOURS", async () => {
    const files = writing();
    const records = strictFake<ExportRecordsRepository>('records', {
      findInFlight: () => Promise.resolve(RECORD),
      settle: () => Promise.resolve(true),
    });
    const job = jobOf();
    const result = await new ExportsProcessor(files, records, config).process(job);

    expect(files.mocks.write).toHaveBeenCalledWith(
      { jobId: ID.toHexString(), fileId: RECORD.file_id },
      DATA,
      expect.any(Function),
    );
    expect(job.calls).toEqual([{ method: 'updateProgress', args: [50] }]);
    const end = Date.parse(result.expires_at);
    expect(Math.abs(end - (Date.now() + 2 * 3_600_000))).toBeLessThan(5_000);
    expect(records.mocks.settle).toHaveBeenCalledWith(
      ID,
      { state: 'completed', result },
      1,
      new Date(end),
    );
  });

  it.each([
    ['no record in flight', null],
    ["another owner's record", { ...RECORD, owner_id: new Types.ObjectId() }],
  ])('writes nothing and fails for good for %s', async (_name, found) => {
    const records = strictFake<ExportRecordsRepository>('records', {
      findInFlight: () => Promise.resolve(found),
    });
    await expect(
      new ExportsProcessor(strictFake('files'), records, config).process(jobOf()),
    ).rejects.toThrow(UnrecoverableError);
  });

  it('keeps the file another run of the job completed the export with', async () => {
    const done = { ...RECORD, state: 'completed', result: { ...WRITTEN, expires_at: 'then' } };
    const files = writing();
    const records = strictFake<ExportRecordsRepository>('records', {
      findInFlight: () => Promise.resolve(RECORD),
      settle: () => Promise.resolve(false),
      findOwned: () => Promise.resolve(done),
    });
    const result = await new ExportsProcessor(files, records, config).process(jobOf());
    expect(result).toBe(done.result);
    expect(files.mocks.remove).not.toHaveBeenCalled();
  });

  it('deletes the file of an export that ended while it was written', async () => {
    const files = writing();
    const records = strictFake<ExportRecordsRepository>('records', {
      findInFlight: () => Promise.resolve(RECORD),
      settle: () => Promise.resolve(false),
      findOwned: () => Promise.resolve(null),
    });
    await expect(new ExportsProcessor(files, records, config).process(jobOf())).rejects.toThrow(
      UnrecoverableError,
    );
    expect(files.mocks.remove).toHaveBeenCalledWith(RECORD.file_id);
  });

  it('settles the export failed on its last attempt only', async () => {
    const failing = () => writing(() => Promise.reject(new Error('cursor killed')));
    const records = () =>
      strictFake<ExportRecordsRepository>('records', {
        findInFlight: () => Promise.resolve(RECORD),
        settle: () => Promise.resolve(true),
      });
    const early = records();
    await expect(new ExportsProcessor(failing(), early, config).process(jobOf(0))).rejects.toThrow(
      'cursor killed',
    );
    expect(early.mocks.settle).not.toHaveBeenCalled();

    const last = records();
    await expect(new ExportsProcessor(failing(), last, config).process(jobOf(2))).rejects.toThrow(
      'cursor killed',
    );
    expect(last.mocks.settle).toHaveBeenCalledWith(
      ID,
      { state: 'failed', failed_reason: 'cursor killed' },
      3,
      expect.any(Date),
    );
  });
});
