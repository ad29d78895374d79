import { ALICE } from '../../test/unit/owners.js';
import type { Queue } from 'bullmq';
import { Types } from 'mongoose';
import { loadConfig } from '../config/configuration.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import type { ExportFilesService } from './export-files.service.js';
import type { ExportRecordDoc } from './export-record.schema.js';
import type { ExportRecordsRepository } from './export-records.repository.js';
import { ExportsExpiry } from './exports-expiry.service.js';
import { producerOf } from '../../test/unit/job-queues.js';

/** The real producer over one fake queue: the deadline and the names are the producer's. */

const record = (state: ExportRecordDoc['state'], n: number) =>
  ({
    _id: new Types.ObjectId(),
    state,
    ...(state === 'completed' ? { file_id: `export-${n}` } : {}),
    attempt_files: state === 'completed' ? [`export-${n}-partial`, `export-${n}`] : [],
  }) as ExportRecordDoc;
const config = loadConfig({ EXPORT_TTL_HOURS: '1' });
const NOW = new Date('2026-12-07T12:00:00Z');

function setup(
  records: Partial<Record<keyof ExportRecordsRepository, unknown>>,
  jobStates: Record<string, string> = {},
  uploaded: string[] = [],
) {
  const fakes = {
    records: strictFake<ExportRecordsRepository>('records', {
      due: () => Promise.resolve([]),
      inFlightSince: () => Promise.resolve([]),
      keepsFile: (id: string) => Promise.resolve(id === 'export-kept'),
      removeExpiredBefore: () => Promise.resolve(0),
      ...records,
    }),
    files: strictFake<ExportFilesService>('files', {
      remove: () => Promise.resolve(),
      uploadedBefore: () => Promise.resolve(uploaded),
    }),
    queue: strictFake<Queue>('exports queue', {
      getJobState: (id: string) => Promise.resolve(jobStates[id] ?? 'unknown'),
    }),
  };
  return {
    ...fakes,
    expiry: new ExportsExpiry(fakes.records, fakes.files, producerOf(fakes.queue), config),
  };
}

describe('ExportsExpiry', () => {
  it('deletes every file of each export past its end before marking it expired', async () => {
    const done = record('completed', 1);
    const failed = record('failed', 2);
    const { expiry, files, records } = setup({
      due: () => Promise.resolve([done, failed]),
      expire: () => Promise.resolve(true),
    });
    expect((await expiry.sweep(NOW)).expired).toBe(2);
    expect(records.mocks.due).toHaveBeenCalledWith(NOW, 1_000);
    // The kept file and what an attempt left; a failed export has none.
    expect(files.mocks.remove.mock.calls).toEqual([['export-1-partial'], ['export-1']]);
    expect(files.mocks.remove.mock.invocationCallOrder[0]).toBeLessThan(
      records.mocks.expire.mock.invocationCallOrder[0],
    );
    expect(records.mocks.expire).toHaveBeenCalledWith(done._id, 'completed');
  });

  it('fails an export in flight for long only when its job is gone or failed', async () => {
    const lost = record('in_flight', 1);
    const waiting = record('in_flight', 2);
    const dead = record('in_flight', 3);
    const { expiry, records } = setup(
      {
        inFlightSince: () => Promise.resolve([lost, waiting, dead]),
        settle: () => Promise.resolve(true),
      },
      { [waiting._id.toHexString()]: 'waiting', [dead._id.toHexString()]: 'failed' },
    );
    expect((await expiry.sweep(NOW)).abandoned).toBe(2);
    expect(records.mocks.inFlightSince).toHaveBeenCalledWith(
      new Date(NOW.getTime() - 600_000),
      1_000,
    );
    const settled = records.mocks.settle.mock.calls.map((call) => call[0] as unknown);
    expect(settled).toEqual([lost._id, dead._id]);
    expect(records.mocks.settle).toHaveBeenCalledWith(
      lost._id,
      { state: 'failed', failed_reason: 'its job is gone (unknown)' },
      0,
      new Date(NOW.getTime() + 3_600_000),
    );
  });

  it('deletes files older than the lifetime that no kept export leads to, and old records', async () => {
    const { expiry, files, records } = setup(
      { removeExpiredBefore: () => Promise.resolve(4) },
      {},
      ['export-stray', 'export-kept', 'export-42'],
    );
    expect(await expiry.sweep(NOW)).toEqual({
      expired: 0,
      abandoned: 0,
      stray_files: 2,
      records_deleted: 4,
    });
    expect(files.mocks.uploadedBefore).toHaveBeenCalledWith(
      new Date(NOW.getTime() - 3_600_000),
      1_000,
    );
    expect(files.mocks.remove.mock.calls).toEqual([['export-stray'], ['export-42']]);
    expect(records.mocks.removeExpiredBefore).toHaveBeenCalledWith(
      new Date(NOW.getTime() - 30 * 24 * 3_600_000),
    );
  });
});

describe('ExportsExpiry, on an account deleted', () => {
  it('deletes the records before the files, so a running export deletes the file it writes', async () => {
    const records = strictFake<ExportRecordsRepository>('records', {
      removeOwnedBy: () => Promise.resolve(4),
    });
    const files = strictFake<ExportFilesService>('files', {
      removeOwnedBy: () => Promise.resolve(2),
    });
    const expiry = new ExportsExpiry(records, files, strictFake('jobs'), config);
    expect(await expiry.accountDeleted({ owner_id: ALICE.id })).toEqual({ export_files: 2 });
    expect(records.mocks.removeOwnedBy).toHaveBeenCalledWith(ALICE.id);
    expect(files.mocks.removeOwnedBy).toHaveBeenCalledWith(ALICE.id);
    expect(records.mocks.removeOwnedBy.mock.invocationCallOrder[0]).toBeLessThan(
      files.mocks.removeOwnedBy.mock.invocationCallOrder[0],
    );
  });
});
