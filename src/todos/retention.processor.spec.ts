import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { loadConfig, type AppConfig } from '../config/configuration.js';
import { strictFake } from '../testing/strict-fake.js';
import { RetentionProcessor } from './retention.processor.js';
import type { TodosRepository } from './todos.repository.js';
import type { SessionsRepository } from '../auth/sessions.repository.js';
import type { ExportsExpiry } from '../exports/exports-expiry.service.js';
import type { ExportsSweep } from '../jobs/job-catalogue.js';

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
});
