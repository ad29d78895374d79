import type { JobType, Queue } from 'bullmq';
import { ALICE, BOB } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import { OwnerJobs } from './owner-jobs.js';
import { producerOf } from '../../test/unit/job-queues.js';

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
  const queues = {
    exports: queueOf('exports', exports),
    reminders: queueOf('reminders', reminders),
  };
  const producer = producerOf(strictFake('the other queues'), queues);
  const retry: string[] = [];
  const run = () =>
    new OwnerJobs(producer).accountDeleted(
      { owner_id: ALICE.id },
      { retryLater: (r) => void retry.push(r) },
    );
  return { ...queues, run, retry };
}

describe('OwnerJobs, on an account deleted', () => {
  it("removes the account's jobs of every queue, and no one else's", async () => {
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
    expect(await fakes.run()).toEqual({ jobs: 3 });
    const removed = [...fakes.exports.calls, ...fakes.reminders.calls]
      .filter((call) => call.method === 'remove')
      .map((call) => call.args[0]);
    // Only ALICE's: not BOB's, not the ownerless job (LEGACY_OWNER's).
    expect(removed.sort()).toEqual(['e1', 'e2', 'r1']);
    expect(fakes.retry).toEqual([]);
  });

  it('finds every job of the account past the first page, removing after listing', async () => {
    const many: FakeJob[] = Array.from({ length: 2_500 }, (_, i) => ({
      id: `e${i}`,
      state: 'completed',
      owner: i % 2 === 0 ? ALICE.id : BOB.id,
    }));
    expect((await setup(many).run()).jobs).toBe(1_250);
  });

  it('leaves a running job of the account, and asks for the deletion to run again', async () => {
    const fakes = setup([
      { id: 'e1', state: 'active', owner: ALICE.id },
      { id: 'e2', state: 'completed', owner: ALICE.id },
    ]);
    expect(await fakes.run()).toEqual({ jobs: 1 });
    expect(fakes.exports.mocks.remove).toHaveBeenCalledWith('e2');
    expect(fakes.exports.mocks.remove).not.toHaveBeenCalledWith('e1');
    expect(fakes.retry).toEqual(['exports/e1']);
  });
});
