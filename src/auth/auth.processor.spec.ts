import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { DiscoveryService } from '@nestjs/core';
import type { Job } from 'bullmq';
import type { AccountDeletionJobData } from '../jobs/job-catalogue.js';
import { JobSteps, OnAccountDeleted, type StepRun } from '../jobs/job-steps.js';
import { ALICE } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import type { AccessTokens } from './access-tokens.service.js';
import { AuthProcessor } from './auth.processor.js';
import type { SessionsRepository } from './sessions.repository.js';
import type { UsersRepository } from './users.repository.js';

/** Stands in for the other features' steps: records the order they run in. */
class OtherFeatures {
  readonly ran: string[] = [];
  constructor(private readonly running: string[] = []) {}

  @OnAccountDeleted(40)
  todos() {
    this.ran.push('todos');
    return Promise.resolve({ todos: 12 });
  }

  @OnAccountDeleted(20)
  jobs(_: AccountDeletionJobData, run: StepRun) {
    this.ran.push('jobs');
    for (const id of this.running) run.retryLater(id);
    return Promise.resolve({ jobs: 3 });
  }

  @OnAccountDeleted(60)
  cache() {
    this.ran.push('cache');
    return Promise.resolve(undefined);
  }
}

function setup(running: string[] = []) {
  const ran: string[] = [];
  const users = strictFake<UsersRepository>('users', {
    remove: () => (ran.push('users'), Promise.resolve(true)),
  });
  const tokens = strictFake<AccessTokens>('tokens', {
    endAll: () => (ran.push('tokens'), Promise.resolve(3)),
  });
  const sessions = strictFake<SessionsRepository>('sessions', {
    removeEnded: () => Promise.resolve(5),
  });
  const others = new OtherFeatures(running);
  const steps = new JobSteps(
    strictFake<DiscoveryService>('discovery', {
      getProviders: () => [{ instance: processor }, { instance: others }] as never,
    }),
  );
  const processor: AuthProcessor = new AuthProcessor(users, tokens, sessions, steps);
  steps.onModuleInit();
  const job = { data: { owner_id: ALICE.id } } as Job<AccountDeletionJobData>;
  return {
    users,
    tokens,
    sessions,
    processor,
    run: () => processor.deleteAccount(job),
    order: () => [...ran, ...others.ran],
  };
}

describe('AuthProcessor', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it("runs every feature's step of the deletion in order, credentials first, and says how much", async () => {
    const fakes = setup();
    expect(await fakes.run()).toEqual({ todos: 12, export_files: 0, jobs: 3, credentials: 3 });
    expect(fakes.users.mocks.remove).toHaveBeenCalledWith(ALICE.id);
    expect(fakes.tokens.mocks.endAll).toHaveBeenCalledWith(ALICE.id);
    expect(fakes.order()).toEqual(['users', 'tokens', 'jobs', 'todos', 'cache']);
  });

  it('with a job of the account still running, runs every step, then fails so it runs again', async () => {
    const fakes = setup(['exports/e1']);
    await expect(fakes.run()).rejects.toThrow(
      'jobs of the account still run (exports/e1): trying again later',
    );
    expect(fakes.order()).toEqual(['users', 'tokens', 'jobs', 'todos', 'cache']);
  });

  it("is the accounts' step of the maintenance job: ended sessions", async () => {
    expect(await setup().processor.removeEndedSessions()).toEqual({ sessions_deleted: 5 });
  });
});
