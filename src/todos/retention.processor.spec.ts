import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { loadConfig, type AppConfig } from '../config/configuration.js';
import { ALICE } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import { RetentionProcessor } from './retention.processor.js';
import type { TodosRepository } from './todos.repository.js';

const DAY_MS = 24 * 3600 * 1000;

const config = (overrides: Partial<AppConfig> = {}): AppConfig => ({
  ...loadConfig({}),
  ...overrides,
});

describe('RetentionProcessor', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  describe('its step of the maintenance job', () => {
    it('deletes no todo (nor asks for one) when retention is off', async () => {
      const processor = new RetentionProcessor(strictFake<TodosRepository>('todos'), config());
      expect(await processor.removeFinished()).toEqual({ deleted: 0 });
    });

    it('deletes finished todos older than the retention, 1000 at a time', async () => {
      const todos = strictFake<TodosRepository>('todos', {
        removeFinishedBefore: () => Promise.resolve(7),
      });
      const processor = new RetentionProcessor(todos, config({ retentionDays: 30 }));
      const before = Date.now();
      expect(await processor.removeFinished()).toEqual({ deleted: 7 });
      const [cutoff, batch] = todos.mocks.removeFinishedBefore.mock.calls[0] as unknown as [
        Date,
        number,
      ];
      expect(batch).toBe(1_000);
      expect(cutoff.getTime()).toBeGreaterThanOrEqual(before - 30 * DAY_MS);
      expect(cutoff.getTime()).toBeLessThanOrEqual(Date.now() - 30 * DAY_MS);
    });
  });

  it("is the todos' step of deleting an account: its todos, 1000 at a time", async () => {
    const todos = strictFake<TodosRepository>('todos', {
      removeOwnedBy: () => Promise.resolve(12),
    });
    const processor = new RetentionProcessor(todos, config());
    expect(await processor.accountDeleted({ owner_id: ALICE.id })).toEqual({ todos: 12 });
    expect(todos.mocks.removeOwnedBy).toHaveBeenCalledWith(ALICE.id, 1_000);
  });
});
