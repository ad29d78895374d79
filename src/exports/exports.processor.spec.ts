import { type Job, UnrecoverableError } from 'bullmq';
import { Types } from 'mongoose';
import { loadConfig } from '../config/configuration.js';
import { ALICE } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import type { ExportFilesService } from './export-files.service.js';
import type { ExportRecordDoc } from './export-record.schema.js';
import type { ExportRecordsRepository } from './export-records.repository.js';
import { ExportsProcessor } from './exports.processor.js';
import type { ExportJobData, ExportJobResult } from '../jobs/job-catalogue.js';

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
  state: 'in_flight',
} as ExportRecordDoc;
/** This attempt's file: the record's id and a random part of its own. */
const OWN_FILE = expect.stringMatching(new RegExp(`^export-${ID.toHexString()}-[0-9a-f]{12}$`));
const DATA: ExportJobData = { format: 'json', owner_id: ALICE.id, finished: true };
const config = loadConfig({ EXPORT_TTL_HOURS: '2' });

const done = (fileId: string, attempts: string[]) =>
  ({
    ...RECORD,
    state: 'completed',
    file_id: fileId,
    attempt_files: attempts,
    result: { ...WRITTEN, expires_at: 'then' },
  }) as ExportRecordDoc;

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
      addAttempt: () => Promise.resolve(true),
      settle: () => Promise.resolve(true),
      findOwned: (_o: string, _id: string) => {
        const [[, own]] = records.mocks.addAttempt.mock.calls as unknown as [[unknown, string]];
        const crashed = `export-${ID.toHexString()}-000000000000`;
        return Promise.resolve({
          ...RECORD,
          state: 'completed',
          file_id: own,
          attempt_files: [crashed, own],
        });
      },
    });
    const job = jobOf();
    const result = await new ExportsProcessor(files, records, config).process(job);

    expect(records.mocks.addAttempt).toHaveBeenCalledWith(ID, OWN_FILE);
    expect(files.mocks.write).toHaveBeenCalledWith(
      { jobId: ID.toHexString(), fileId: OWN_FILE },
      DATA,
      expect.any(Function),
    );
    // The file an earlier, crashed attempt left goes; this one's stays.
    expect(files.mocks.remove.mock.calls).toEqual([[`export-${ID.toHexString()}-000000000000`]]);
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
      findOwned: () => Promise.resolve(null),
    });
    await expect(
      new ExportsProcessor(strictFake('files'), records, config).process(jobOf()),
    ).rejects.toThrow(UnrecoverableError);
    expect(records.mocks.findOwned).toHaveBeenCalledWith(ALICE.id, ID.toHexString());
  });

  it('completes a run of an export settled by a run killed before it tidied up, deleting the files it left', async () => {
    const kept = `export-${ID.toHexString()}-aaaaaaaaaaaa`;
    const left = `export-${ID.toHexString()}-bbbbbbbbbbbb`;
    const files = strictFake<ExportFilesService>('files', { remove: () => Promise.resolve() });
    const records = strictFake<ExportRecordsRepository>('records', {
      findInFlight: () => Promise.resolve(null),
      findOwned: () => Promise.resolve(done(kept, [left, kept])),
    });
    const result = await new ExportsProcessor(files, records, config).process(jobOf(1));
    expect(result).toEqual({ ...WRITTEN, expires_at: 'then' });
    expect(files.mocks.remove.mock.calls).toEqual([[left]]);
  });

  it('deletes every file left by the attempts of an export that failed, and fails for good', async () => {
    const files = strictFake<ExportFilesService>('files', { remove: () => Promise.resolve() });
    const records = strictFake<ExportRecordsRepository>('records', {
      findInFlight: () => Promise.resolve(null),
      findOwned: () => Promise.resolve({ ...RECORD, state: 'failed', attempt_files: ['a', 'b'] }),
    });
    await expect(new ExportsProcessor(files, records, config).process(jobOf(1))).rejects.toThrow(
      UnrecoverableError,
    );
    expect(files.mocks.remove.mock.calls).toEqual([['a'], ['b']]);
  });

  it('keeps the file another run of the job completed the export with, deleting its own', async () => {
    const theirs = `export-${ID.toHexString()}-aaaaaaaaaaaa`;
    const files = writing();
    const records = strictFake<ExportRecordsRepository>('records', {
      findInFlight: () => Promise.resolve(RECORD),
      addAttempt: () => Promise.resolve(true),
      settle: () => Promise.resolve(false),
      findOwned: () => {
        const [[, own]] = records.mocks.addAttempt.mock.calls as unknown as [[unknown, string]];
        return Promise.resolve(done(theirs, [theirs, own]));
      },
    });
    const result = await new ExportsProcessor(files, records, config).process(jobOf());
    expect(result).toEqual({ ...WRITTEN, expires_at: 'then' });
    expect(files.mocks.remove).toHaveBeenCalledTimes(1);
    expect(files.mocks.remove).toHaveBeenCalledWith(OWN_FILE);
  });

  it('deletes the file of an export that ended while it was written', async () => {
    const files = writing();
    const records = strictFake<ExportRecordsRepository>('records', {
      findInFlight: () => Promise.resolve(RECORD),
      addAttempt: () => Promise.resolve(true),
      settle: () => Promise.resolve(false),
      findOwned: () => Promise.resolve(null),
    });
    await expect(new ExportsProcessor(files, records, config).process(jobOf())).rejects.toThrow(
      UnrecoverableError,
    );
    expect(files.mocks.remove).toHaveBeenCalledWith(OWN_FILE);
    expect(records.mocks.settle).toHaveBeenLastCalledWith(
      ID,
      expect.objectContaining({ state: 'failed' }),
      1,
      expect.any(Date),
    );
  });

  it('settles the export failed on its last attempt only', async () => {
    const failing = () => writing(() => Promise.reject(new Error('cursor killed')));
    const records = () =>
      strictFake<ExportRecordsRepository>('records', {
        findInFlight: () => Promise.resolve(RECORD),
        addAttempt: () => Promise.resolve(true),
        settle: () => Promise.resolve(true),
        findOwned: () => Promise.resolve({ ...RECORD, state: 'failed', attempt_files: ['a', 'b'] }),
      });
    const early = records();
    await expect(new ExportsProcessor(failing(), early, config).process(jobOf(0))).rejects.toThrow(
      'cursor killed',
    );
    expect(early.mocks.settle).not.toHaveBeenCalled();

    const last = records();
    const lastFiles = failing();
    await expect(new ExportsProcessor(lastFiles, last, config).process(jobOf(2))).rejects.toThrow(
      'cursor killed',
    );
    expect(last.mocks.settle).toHaveBeenCalledWith(
      ID,
      { state: 'failed', failed_reason: 'cursor killed' },
      3,
      expect.any(Date),
    );
    // A failed export keeps no file: every attempt's goes.
    expect(last.mocks.findOwned).toHaveBeenCalledWith(ALICE.id, ID.toHexString());
    expect(lastFiles.mocks.remove.mock.calls).toEqual([['a'], ['b']]);
  });
});
