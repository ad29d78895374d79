import { NotFoundException } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { Types } from 'mongoose';
import { ALICE } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import { ExportJobViews } from './export-job-views.js';
import type { ExportRecordDoc } from './export-record.schema.js';
import type { ExportRecordsRepository } from './export-records.repository.js';
import { producerOf } from '../../test/unit/job-queues.js';

/** The real producer over one fake queue: the deadline and the names are the producer's. */

const ID = '6b1602aa74d0f8a1f63c8232';
const RESULT = { file_id: `export-${ID}`, expires_at: '2026-12-08T00:00:00.000Z' };
const record = (overrides: Partial<ExportRecordDoc>) =>
  ({
    _id: new Types.ObjectId(ID),
    state: 'completed',
    attempts_made: 1,
    expires_at: new Date(Date.now() + 3_600_000),
    result: RESULT,
    ...overrides,
  }) as ExportRecordDoc;

const views = (found: ExportRecordDoc | null, queue = strictFake<Queue>('exports queue')) =>
  new ExportJobViews(
    strictFake<ExportRecordsRepository>('records', { findOwned: () => Promise.resolve(found) }),
    producerOf(queue),
  );

describe('ExportJobViews', () => {
  it("is a 404 without the owner's record, whatever Redis holds", async () => {
    await expect(views(null).view(ALICE, ID)).rejects.toThrow(NotFoundException);
  });

  it('answers a settled export from its record alone: a trimmed job changes nothing', async () => {
    const base = { id: ID, queue: 'exports', attempts_made: 1 };
    expect(await views(record({})).view(ALICE, ID)).toStrictEqual({
      ...base,
      state: 'completed',
      progress: 100,
      result: RESULT,
    });
    expect(await views(record({ state: 'expired' })).view(ALICE, ID)).toStrictEqual({
      ...base,
      state: 'expired',
      progress: 100,
    });
    expect(await views(record({ expires_at: new Date(0) })).view(ALICE, ID)).toMatchObject({
      state: 'expired',
    });
  });

  it('reads how far an export in flight is from its job', async () => {
    const queue = strictFake<Queue>('exports queue', {
      getJobState: () => Promise.resolve('active'),
      getJob: () => Promise.resolve(strictFake<Job>('job', { progress: 40, attemptsMade: 1 })),
    });
    const inFlight = record({ state: 'in_flight', expires_at: undefined, result: undefined });
    expect(await views(inFlight, queue).view(ALICE, ID)).toStrictEqual({
      id: ID,
      queue: 'exports',
      state: 'active',
      progress: 40,
      attempts_made: 1,
    });
  });
});
