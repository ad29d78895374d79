import { getQueueToken } from '@nestjs/bullmq';
import { NotFoundException } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import { strictFake } from '../testing/strict-fake.js';
import { JobsService } from './jobs.service.js';

/** Jobs service over one queue whose job is in `state`; `job` lists the fields it may read. */
function setup(state: string, job: Partial<Record<keyof Job, unknown>> | null) {
  const queue = strictFake<Queue>('queue', {
    getJobState: () => Promise.resolve(state),
    getJob: () => Promise.resolve(job && strictFake<Job>('job', job)),
  });
  const modules = strictFake<ModuleRef>('modules', { get: () => queue });
  return { service: new JobsService(modules), modules, queue };
}

describe('JobsService', () => {
  it('is a 404 for a queue that does not exist, without looking it up', async () => {
    const service = new JobsService(strictFake<ModuleRef>('modules'));
    await expect(service.view('nope', '1')).rejects.toThrow(NotFoundException);
  });

  it.each([
    ['unknown', { progress: 0, attemptsMade: 0 }],
    ['waiting', null],
  ])('is a 404 for a job in state %s or missing (%p)', async (state, job) => {
    const { service } = setup(state, job);
    await expect(service.view('exports', '1')).rejects.toThrow(NotFoundException);
  });

  it('looks the queue up by its token and reads the state before the job', async () => {
    const { service, modules, queue } = setup('active', { progress: 40, attemptsMade: 1 });
    const view = await service.view('reminders', '9');

    expect(modules.mocks.get).toHaveBeenCalledWith(getQueueToken('reminders'), { strict: false });
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
    const { service } = setup('completed', { progress: 100, attemptsMade: 1, returnvalue: result });
    expect(await service.view('exports', '9')).toStrictEqual({
      id: '9',
      queue: 'exports',
      state: 'completed',
      progress: 100,
      attempts_made: 1,
      result,
    });
  });

  it.each([null, undefined])('shows result null when the return value is %p', async (value) => {
    const { service } = setup('completed', { progress: 100, attemptsMade: 2, returnvalue: value });
    expect((await service.view('exports', '9')).result).toBeNull();
  });

  it("shows a failed job's reason and no result", async () => {
    const { service } = setup('failed', {
      progress: 0,
      attemptsMade: 5,
      failedReason: 'webhook answered 500',
    });
    expect(await service.view('reminders', '9')).toStrictEqual({
      id: '9',
      queue: 'reminders',
      state: 'failed',
      progress: 0,
      attempts_made: 5,
      failed_reason: 'webhook answered 500',
    });
  });

  it.each([{ done: 3 }, '50', true])('shows progress %p, not a number, as 0', async (progress) => {
    const { service } = setup('active', { progress, attemptsMade: 0 });
    expect((await service.view('exports', '9')).progress).toBe(0);
  });
});
