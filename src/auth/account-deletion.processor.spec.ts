import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Job, JobType, Queue } from 'bullmq';
import type { ResponseCache } from '../cache/response-cache.service.js';
import type { ExportFilesService } from '../exports/export-files.service.js';
import type { ExportRecordsRepository } from '../exports/export-records.repository.js';
import type { IdempotencyStore } from '../idempotency/idempotency.store.js';
import { ALICE, BOB } from '../testing/owners.js';
import { strictFake } from '../testing/strict-fake.js';
import { JobsProducer } from '../jobs/jobs.producer.js';
import type { TodosRepository } from '../todos/todos.repository.js';
import type { AccessTokens } from './access-tokens.service.js';
import { AccountDeletionProcessor } from './account-deletion.processor.js';
import type { UsersRepository } from './users.repository.js';
import type { AccountDeletionJobData } from '../jobs/job-catalogue.js';

interface FakeJob {
  id: string;
  state: JobType;
  owner?: string;
}

/** A queue holding `jobs`: `getJobs` answers by state, in pages; `remove` takes one away. */
function queueOf(name: string, jobs: FakeJob[]) {
  const held = [...jobs];
  return strictFake<Queue>(name, {
    name,
    getJobs: (types: JobType[], start: number, end: number) =>
      Promise.resolve(
        held
          .filter((job) => types.includes(job.state))
          .slice(start, end + 1)
          .map((job) => ({ id: job.id, data: { owner_id: job.owner } })),
      ),
    remove: (id: string) => {
      const at = held.findIndex((job) => job.id === id && job.state !== 'active');
      if (at === -1) return Promise.resolve(0);
      held.splice(at, 1);
      return Promise.resolve(1);
    },
  });
}

function setup(exports: FakeJob[] = [], reminders: FakeJob[] = []) {
  const fakes = {
    users: strictFake<UsersRepository>('users', { remove: () => Promise.resolve(true) }),
    tokens: strictFake<AccessTokens>('tokens', { endAll: () => Promise.resolve(3) }),
    todos: strictFake<TodosRepository>('todos', { removeOwnedBy: () => Promise.resolve(12) }),
    files: strictFake<ExportFilesService>('files', { removeOwnedBy: () => Promise.resolve(2) }),
    exportRecords: strictFake<ExportRecordsRepository>('export records', {
      removeOwnedBy: () => Promise.resolve(4),
    }),
    idempotency: strictFake<IdempotencyStore>('idempotency', {
      forgetOwner: () => Promise.resolve(1),
    }),
    cache: strictFake<ResponseCache>('cache', { invalidate: () => Promise.resolve() }),
    exports: queueOf('exports', exports),
    reminders: queueOf('reminders', reminders),
  };
  const processor = new AccountDeletionProcessor(
    fakes.users,
    fakes.tokens,
    fakes.todos,
    fakes.files,
    fakes.exportRecords,
    fakes.idempotency,
    fakes.cache,
    new JobsProducer(
      fakes.exports,
      fakes.reminders,
      strictFake('maintenance'),
      strictFake('accounts'),
    ),
  );
  const job = { data: { owner_id: ALICE.id } } as Job<AccountDeletionJobData>;
  return { ...fakes, run: () => processor.process(job) };
}

describe('AccountDeletionProcessor', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it("deletes the account's data in every store, through each one's writer, and says how much", async () => {
    const fakes = setup(
      [
        { id: 'e1', state: 'completed', owner: ALICE.id },
        { id: 'e2', state: 'failed', owner: ALICE.id },
        { id: 'e3', state: 'completed', owner: BOB.id },
        { id: 'e4', state: 'waiting' },
      ],
      [
        { id: 'r1', state: 'delayed', owner: ALICE.id },
        { id: 'r2', state: 'delayed', owner: BOB.id },
      ],
    );
    expect(await fakes.run()).toEqual({ todos: 12, export_files: 2, jobs: 3, credentials: 3 });
    expect(fakes.users.mocks.remove).toHaveBeenCalledWith(ALICE.id);
    expect(fakes.tokens.mocks.endAll).toHaveBeenCalledWith(ALICE.id);
    expect(fakes.todos.mocks.removeOwnedBy).toHaveBeenCalledWith(ALICE.id, 1_000);
    expect(fakes.files.mocks.removeOwnedBy).toHaveBeenCalledWith(ALICE.id);
    // The records before the files: a running export then deletes the file it writes.
    expect(fakes.exportRecords.mocks.removeOwnedBy).toHaveBeenCalledWith(ALICE.id);
    expect(fakes.exportRecords.mocks.removeOwnedBy.mock.invocationCallOrder[0]).toBeLessThan(
      fakes.files.mocks.removeOwnedBy.mock.invocationCallOrder[0],
    );
    expect(fakes.idempotency.mocks.forgetOwner).toHaveBeenCalledWith(ALICE.id);
    expect(fakes.cache.mocks.invalidate).toHaveBeenCalledWith(ALICE.id);
    const removed = [...fakes.exports.calls, ...fakes.reminders.calls]
      .filter((call) => call.method === 'remove')
      .map((call) => call.args[0]);
    // Only ALICE's: not BOB's, not the ownerless job (LEGACY_OWNER's).
    expect(removed.sort()).toEqual(['e1', 'e2', 'r1']);
  });

  it('finds every job of the account past the first page, removing after listing', async () => {
    const many: FakeJob[] = Array.from({ length: 2_500 }, (_, i) => ({
      id: `e${i}`,
      state: 'completed',
      owner: i % 2 === 0 ? ALICE.id : BOB.id,
    }));
    const fakes = setup(many);
    expect((await fakes.run()).jobs).toBe(1_250);
  });

  it('with an export of the account still running, deletes the rest, then fails so it runs again', async () => {
    const fakes = setup([
      { id: 'e1', state: 'active', owner: ALICE.id },
      { id: 'e2', state: 'completed', owner: ALICE.id },
    ]);
    await expect(fakes.run()).rejects.toThrow(/still run \(exports\/e1\)/);
    expect(fakes.todos.mocks.removeOwnedBy).toHaveBeenCalled();
    expect(fakes.files.mocks.removeOwnedBy).toHaveBeenCalled();
    expect(fakes.exports.mocks.remove).toHaveBeenCalledWith('e2');
    expect(fakes.exports.mocks.remove).not.toHaveBeenCalledWith('e1');
  });
});
