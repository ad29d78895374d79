import { NotFoundException } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import type { Owner } from '../auth/owner.js';
import { ALICE, BOB, LEGACY } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import type { ExportJobViews } from '../exports/export-job-views.js';
import type { JobViewDto } from './job-view.dto.js';
import { JobStatusService } from './job-status.service.js';
import { producerOf } from '../../test/unit/job-queues.js';

/** Jobs of ALICE's, unless a test says whose. */
const ofAlice = { owner_id: ALICE.id };

/** Jobs service over one queue whose job is in `state`; `job` lists the fields it may read. */
function setup(state: string, job: Partial<Record<keyof Job, unknown>> | null) {
  const queue = strictFake<Queue>('queue', {
    getJobState: () => Promise.resolve(state),
    getJob: () => Promise.resolve(job && strictFake<Job>('job', job)),
  });
  const jobs = producerOf(queue);
  return { service: new JobStatusService(jobs, strictFake('export views')), queue };
}

describe('JobStatusService', () => {
  it('is a 404 for a queue that does not exist, without looking it up', async () => {
    const idle = strictFake<Queue>('queue');
    const jobs = producerOf(idle);
    const service = new JobStatusService(jobs, strictFake('export views'));
    await expect(service.view(ALICE, 'nope', '1')).rejects.toThrow(NotFoundException);
  });

  it("answers an export's view from the exports feature, which reads its record", async () => {
    const view: JobViewDto = {
      id: '9',
      queue: 'exports',
      state: 'expired',
      progress: 100,
      attempts_made: 1,
    };
    const exports = strictFake<ExportJobViews>('export views', {
      view: () => Promise.resolve(view),
    });
    const idle = strictFake<Queue>('queue');
    const service = new JobStatusService(producerOf(idle), exports);
    expect(await service.view(ALICE, 'exports', '9')).toBe(view);
    expect(exports.mocks.view).toHaveBeenCalledWith(ALICE, '9');
  });

  it.each([
    ['unknown', { progress: 0, attemptsMade: 0, data: ofAlice }],
    ['waiting', null],
  ])('is a 404 for a job in state %s or missing (%p)', async (state, job) => {
    const { service } = setup(state, job);
    await expect(service.view(ALICE, 'reminders', '1')).rejects.toThrow(NotFoundException);
  });

  it('reads the state before the job', async () => {
    const { service, queue } = setup('active', {
      progress: 40,
      attemptsMade: 1,
      data: ofAlice,
    });
    const view = await service.view(ALICE, 'reminders', '9');

    expect(queue.calls.map((call) => call.method)).toEqual(['getJobState', 'getJob']);
    // Neither a result nor a failure reason before the job has ended.
    expect(view).toStrictEqual({
      id: '9',
      queue: 'reminders',
      state: 'active',
      progress: 40,
      attempts_made: 1,
    });
  });

  it("shows a completed job's result", async () => {
    const result = { file_id: 'export-9' };
    const { service } = setup('completed', {
      progress: 100,
      attemptsMade: 1,
      returnvalue: result,
      data: ofAlice,
    });
    expect(await service.view(ALICE, 'reminders', '9')).toStrictEqual({
      id: '9',
      queue: 'reminders',
      state: 'completed',
      progress: 100,
      attempts_made: 1,
      result,
    });
  });

  it.each([null, undefined])('shows result null when the return value is %p', async (value) => {
    const { service } = setup('completed', {
      progress: 100,
      attemptsMade: 2,
      returnvalue: value,
      data: ofAlice,
    });
    expect((await service.view(ALICE, 'reminders', '9')).result).toBeNull();
  });

  it("shows a failed job's reason and no result", async () => {
    const { service } = setup('failed', {
      progress: 0,
      attemptsMade: 5,
      failedReason: 'webhook answered 500',
      data: ofAlice,
    });
    expect(await service.view(ALICE, 'reminders', '9')).toStrictEqual({
      id: '9',
      queue: 'reminders',
      state: 'failed',
      progress: 0,
      attempts_made: 5,
      failed_reason: 'webhook answered 500',
    });
  });

  it.each([{ done: 3 }, '50', true])('shows progress %p, not a number, as 0', async (progress) => {
    const { service } = setup('active', { progress, attemptsMade: 0, data: ofAlice });
    expect((await service.view(ALICE, 'reminders', '9')).progress).toBe(0);
  });

  describe('whose job it is', () => {
    const job = (data: unknown) => ({ progress: 100, attemptsMade: 1, returnvalue: 1, data });

    it("is a 404, like a missing job, for another owner's job", async () => {
      const { service } = setup('completed', job({ owner_id: BOB.id }));
      await expect(service.view(ALICE, 'reminders', '9')).rejects.toThrow(
        new NotFoundException('no job 9 in reminders'),
      );
      expect((await service.view(BOB, 'reminders', '9')).result).toBe(1);
    });

    it.each<[string, unknown]>([
      ['no owner_id', {}],
      ['owner_id null', { owner_id: null }],
      ['no data', undefined],
    ])('is a 404 for a job with %s, unless the owner holds the ownerless', async (_, data) => {
      const { service } = setup('completed', job(data));
      await expect(service.view(ALICE, 'reminders', '9')).rejects.toThrow(NotFoundException);
      expect(await service.view(LEGACY, 'reminders', '9')).toMatchObject({ state: 'completed' });
    });

    it("is a 404 for another's job even to the owner who holds the ownerless", async () => {
      const { service } = setup('completed', job({ owner_id: ALICE.id }));
      await expect(service.view(LEGACY, 'reminders', '9')).rejects.toThrow(NotFoundException);
    });

    it.each<[string, Owner]>([
      ['an owner', ALICE],
      ['the legacy owner', LEGACY],
    ])("reads nothing of another's job but its owner, for %s", async (_, owner) => {
      const { service, queue } = setup('failed', {
        data: { owner_id: owner === ALICE ? BOB.id : ALICE.id },
      });
      await expect(service.view(owner, 'reminders', '9')).rejects.toThrow(NotFoundException);
      expect(queue.calls.map((call) => call.method)).toEqual(['getJobState', 'getJob']);
    });
  });
});
