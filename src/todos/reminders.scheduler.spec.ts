import { jest } from '@jest/globals';
import { Logger, ServiceUnavailableException } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ALICE, BOB } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import { formerReminderJobId, reminderJobId } from './reminder-job.js';
import { RemindersScheduler } from './reminders.scheduler.js';
import type { ReminderJobData } from '../jobs/job-catalogue.js';
import { producerOf } from '../../test/unit/job-queues.js';

type ReminderQueue = Queue<ReminderJobData>;

const NOW = Date.parse('2030-01-01T00:00:00.000Z');
const TODO = '6650f1c2a1b2c3d4e5f60718';

describe('RemindersScheduler', () => {
  let warn: ReturnType<typeof jest.spyOn>;
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  const queueFake = (members: Partial<Record<keyof ReminderQueue, unknown>> = {}) =>
    strictFake<ReminderQueue>('reminders queue', { name: 'reminders', ...members });

  it("names the owner in a job's id: two owners' jobs of one todo id and time are two jobs", () => {
    const at = new Date(NOW + 90_000);
    expect(reminderJobId(ALICE.id, TODO, at)).toBe(`reminder-${ALICE.id}-${TODO}-${at.getTime()}`);
    expect(reminderJobId(BOB.id, TODO, at)).not.toBe(reminderJobId(ALICE.id, TODO, at));
    // The form of the jobs scheduled before, still waiting in Redis.
    expect(formerReminderJobId(TODO, at)).toBe(`reminder-${TODO}-${at.getTime()}`);
  });

  describe('schedule', () => {
    it("removes the owner's job of this todo and time and the one of the former id form, then adds the owner's, delayed until the time", async () => {
      const queue = queueFake({
        remove: () => Promise.resolve(1),
        add: () => Promise.resolve({ id: 'x' }),
      });
      const at = new Date(NOW + 90_000);
      await new RemindersScheduler(producerOf(queue)).schedule(ALICE.id, TODO, at);

      const jobId = reminderJobId(ALICE.id, TODO, at);
      expect(queue.calls).toEqual([
        { method: 'remove', args: [jobId] },
        { method: 'remove', args: [formerReminderJobId(TODO, at)] },
        {
          method: 'add',
          args: [
            'reminders.fire',
            { todo_id: TODO, owner_id: ALICE.id, remind_at: at.toISOString() },
            { jobId, delay: 90_000 },
          ],
        },
      ]);
    });

    it('never asks for a negative delay', async () => {
      const queue = queueFake({
        remove: () => Promise.resolve(0),
        add: () => Promise.resolve({ id: 'x' }),
      });
      const past = new Date(NOW - 5_000);
      await new RemindersScheduler(producerOf(queue)).schedule(ALICE.id, TODO, past);
      expect(queue.mocks.add).toHaveBeenCalledWith('reminders.fire', expect.anything(), {
        jobId: reminderJobId(ALICE.id, TODO, past),
        delay: 0,
      });
    });

    it('fails with 503 and adds nothing when the queue is unavailable', async () => {
      const queue = queueFake({
        remove: () => Promise.reject(new Error('connection refused')),
        add: () => Promise.resolve({ id: 'x' }),
      });
      await expect(
        new RemindersScheduler(producerOf(queue)).schedule(ALICE.id, TODO, new Date(NOW + 1_000)),
      ).rejects.toThrow(ServiceUnavailableException);
      expect(queue.mocks.add).not.toHaveBeenCalled();
    });
  });

  describe('cancel', () => {
    it.each([null, undefined])('does nothing for a %p time', async (time) => {
      // No queue member is provided: any use of the queue fails the test.
      const idle = queueFake();
      await new RemindersScheduler(producerOf(idle)).cancel(ALICE.id, TODO, time);
      expect(warn).not.toHaveBeenCalled();
    });

    it("removes the owner's job of exactly that time, and the one of the former id form", async () => {
      const queue = queueFake({ remove: () => Promise.resolve(1) });
      const at = new Date(NOW + 60_000);
      await new RemindersScheduler(producerOf(queue)).cancel(ALICE.id, TODO, at);
      expect(queue.calls).toEqual([
        { method: 'remove', args: [reminderJobId(ALICE.id, TODO, at)] },
        { method: 'remove', args: [formerReminderJobId(TODO, at)] },
      ]);
    });

    it('logs and swallows a queue failure', async () => {
      const queue = queueFake({ remove: () => Promise.reject(new Error('connection refused')) });
      await expect(
        new RemindersScheduler(producerOf(queue)).cancel(ALICE.id, TODO, new Date(NOW + 60_000)),
      ).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`reminder of ${TODO}`));
    });
  });
});
