import type { DiscoveryService } from '@nestjs/core';
import { strictFake } from '../../test/unit/strict-fake.js';
import { findSteps, JobSteps, OnAccountDeleted, OnMaintenance, type StepRun } from './job-steps.js';

class Late {
  @OnAccountDeleted(50)
  late() {
    return Promise.resolve({ todos: 2 });
  }
}
class Early {
  readonly seen: unknown[] = [];
  @OnAccountDeleted(10)
  early(data: { owner_id: string }, run: StepRun) {
    this.seen.push(data);
    run.retryLater('exports/1');
    return Promise.resolve({ credentials: 1, todos: 1 });
  }
  @OnMaintenance(10)
  sweep() {
    return Promise.resolve({ sessions_deleted: 4 });
  }
}

const stepsOver = (...instances: object[]) => {
  const steps = new JobSteps(
    strictFake<DiscoveryService>('discovery', {
      getProviders: () => instances.map((instance) => ({ instance })) as never,
    }),
  );
  steps.onModuleInit();
  return steps;
};

describe('JobSteps', () => {
  it('finds the steps in order, each provider instance once', () => {
    const early = new Early();
    const found = findSteps([new Late(), early, early, undefined]);
    expect(found.map((step) => [step.job, step.order])).toEqual([
      ['accounts.delete', 10],
      ['maintenance.run', 10],
      ['accounts.delete', 50],
    ]);
  });

  it("runs a job's steps in order with its data, later results over earlier ones", async () => {
    const early = new Early();
    const { result, retry } = await stepsOver(new Late(), early).run('accounts.delete', {
      owner_id: 'a',
    });
    expect(result).toEqual({ credentials: 1, todos: 2 });
    expect(early.seen).toEqual([{ owner_id: 'a' }]);
    expect(retry).toEqual(['exports/1']);
  });

  it("runs only that job's steps", async () => {
    const { result } = await stepsOver(new Late(), new Early()).run('maintenance.run', {});
    expect(result).toEqual({ sessions_deleted: 4 });
  });
});
