import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Queue, Worker } from 'bullmq';
import { loadConfig, type AppConfig } from '../config/configuration.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import { PURGE_JOB, PURGE_SCHEDULER_ID } from './retention-job.js';
import { RetentionProcessor } from './retention.processor.js';
import type { TodosRepository } from './todos.repository.js';
import type { SessionsRepository } from '../auth/sessions.repository.js';
import type { ExportsExpiry, ExportsSweep } from '../exports/exports-expiry.service.js';

const sessions = (ended = 0) =>
  strictFake<SessionsRepository>('sessions', { removeEnded: () => Promise.resolve(ended) });

const DAY_MS = 24 * 3600 * 1000;

const SWEPT: ExportsSweep = { expired: 2, abandoned: 0, stray_files: 1, records_deleted: 0 };
const exportsExpiry = () =>
  strictFake<ExportsExpiry>('exports expiry', { sweep: () => Promise.resolve(SWEPT) });

const config = (overrides: Partial<AppConfig> = {}): AppConfig => ({
  ...loadConfig({}),
  ...overrides,
});

describe('RetentionProcessor', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  describe('process', () => {
    it('deletes ended sessions and expired exports, and no todo (nor asks for one), when retention is off', async () => {
      const ended = sessions(3);
      const processor = new RetentionProcessor(
        strictFake<TodosRepository>('todos'),
        ended,
        exportsExpiry(),
        strictFake<Queue>('maintenance queue'),
        config(),
      );
      expect(await processor.process()).toEqual({
        deleted: 0,
        sessions_deleted: 3,
        exports: SWEPT,
      });
      expect(ended.mocks.removeEnded).toHaveBeenCalledTimes(1);
    });

    it('deletes finished todos older than the retention, 1000 at a time', async () => {
      const todos = strictFake<TodosRepository>('todos', {
        removeFinishedBefore: () => Promise.resolve(7),
      });
      const processor = new RetentionProcessor(
        todos,
        sessions(),
        exportsExpiry(),
        strictFake<Queue>('maintenance queue'),
        config({ retentionDays: 30 }),
      );

      expect(await processor.process()).toEqual({
        deleted: 7,
        sessions_deleted: 0,
        exports: SWEPT,
      });
      const [[cutoff, batch]] = todos.mocks.removeFinishedBefore.mock.calls as unknown as [
        [Date, number],
      ];
      expect(Math.abs(cutoff.getTime() - (Date.now() - 30 * DAY_MS))).toBeLessThan(1_000);
      expect(batch).toBe(1_000);
    });
  });

  describe('onApplicationBootstrap', () => {
    /** The processor with a fake worker where Nest's registrar would have put the real one. */
    const withWorker = (processor: RetentionProcessor) => {
      const worker = strictFake<Worker>('worker', {
        opts: {},
        concurrency: 1,
        run: () => Promise.resolve(),
      });
      Object.defineProperty(processor, 'worker', { get: () => worker });
      return worker;
    };

    it('starts the worker with the configured settings and declares the schedule', async () => {
      const queue = strictFake<Queue>('maintenance queue', {
        upsertJobScheduler: () => Promise.resolve({}),
      });
      const settings = config({ retentionDays: 30, maintenanceIntervalMs: 60_000 });
      const processor = new RetentionProcessor(
        strictFake<TodosRepository>('todos'),
        sessions(),
        strictFake<ExportsExpiry>('exports expiry'),
        queue,
        settings,
      );
      const worker = withWorker(processor);

      await processor.onApplicationBootstrap();

      expect(worker.mocks.run).toHaveBeenCalledTimes(1);
      expect(worker.concurrency).toBe(settings.workerConcurrency);
      expect(worker.opts).toEqual({
        lockDuration: settings.workerLockMs,
        stalledInterval: settings.workerStalledIntervalMs,
        maxStalledCount: settings.workerMaxStalledCount,
      });
      expect(queue.calls).toEqual([
        {
          method: 'upsertJobScheduler',
          args: [PURGE_SCHEDULER_ID, { every: 60_000 }, { name: PURGE_JOB }],
        },
      ]);
    });

    it('declares the schedule when retention is off too: sessions still end', async () => {
      const queue = strictFake<Queue>('maintenance queue', {
        upsertJobScheduler: () => Promise.resolve({}),
      });
      const processor = new RetentionProcessor(
        strictFake<TodosRepository>('todos'),
        sessions(),
        strictFake<ExportsExpiry>('exports expiry'),
        queue,
        config({ maintenanceIntervalMs: 60_000 }),
      );
      withWorker(processor);

      await processor.onApplicationBootstrap();
      expect(queue.calls).toEqual([
        {
          method: 'upsertJobScheduler',
          args: [PURGE_SCHEDULER_ID, { every: 60_000 }, { name: PURGE_JOB }],
        },
      ]);
    });
  });
});
