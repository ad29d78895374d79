import { NotFoundException, PreconditionFailedException } from '@nestjs/common';
import type { Owner } from '../auth/owner.js';
import { ALICE, BOB, setup, T1, T2, tagOf, todo } from '../../test/unit/todos.service.fakes.js';

/**
 * Every side effect of a write happens only after, or keyed by, the ownership check: a
 * request of another account names a todo id it does not hold and reaches nothing of its
 * owner's — no reminder job scheduled, replaced or removed, no lock of the owner's held.
 */
describe('TodosService: side effects and the owner', () => {
  const alices = todo({ remind_at: T1 });
  const id = alices._id.toHexString();
  /** The repository finds only the owner's todos: for BOB there is none of this id. */
  const onlyAlices = {
    findById: (owner: Owner) => Promise.resolve(owner === ALICE ? alices : null),
    update: () => Promise.resolve(null),
    remove: () => Promise.resolve(null),
  };

  it.each([
    ['with the todo’s own time', { remind_at: T1.toISOString() }],
    ['with another time', { remind_at: T2.toISOString() }],
    ['finishing it', { is_finished: true }],
    ['clearing its time', { remind_at: null }],
  ])("another owner's PATCH %s is a 404 that schedules and cancels no job", async (_, input) => {
    // No scheduler member is given: any schedule or cancel fails the test.
    const { service } = setup(onlyAlices);
    await expect(service.update(BOB, id, input)).rejects.toThrow(NotFoundException);
    await expect(service.update(BOB, id, input, tagOf(alices))).rejects.toThrow(NotFoundException);
  });

  it("another owner's DELETE is a 404 that cancels no job", async () => {
    const { service } = setup(onlyAlices);
    await expect(service.remove(BOB, id)).rejects.toThrow(NotFoundException);
    await expect(service.remove(BOB, id, '*')).rejects.toThrow(NotFoundException);
  });

  it('reads the todo as the owner’s before scheduling, and writes nothing for a 404', async () => {
    const { service, repository } = setup(onlyAlices);
    await expect(service.update(BOB, id, { remind_at: T2.toISOString() })).rejects.toThrow(
      NotFoundException,
    );
    expect(repository.calls).toEqual([{ method: 'findById', args: [BOB, id] }]);
  });

  it("takes the owner's lock under If-Match: another owner's request takes its own", async () => {
    const { service, locks } = setup(onlyAlices);
    await expect(service.update(BOB, id, { content: 'x' }, '"random"')).rejects.toThrow(
      NotFoundException,
    );
    await expect(service.remove(BOB, id, '"random"')).rejects.toThrow(NotFoundException);
    expect(locks.calls.map((call) => call.args.slice(0, 2))).toEqual([
      [BOB.id, `todo:${id}`],
      [BOB.id, `todo:${id}`],
    ]);
  });

  it('a todo removed between the read and the write is a 404 that cancels the job it scheduled', async () => {
    const { service, scheduler } = setup(
      { findById: () => Promise.resolve(alices), update: () => Promise.resolve(null) },
      { schedule: () => Promise.resolve(), cancel: () => Promise.resolve() },
    );
    await expect(service.update(ALICE, id, { remind_at: T2.toISOString() })).rejects.toThrow(
      NotFoundException,
    );
    expect(scheduler.calls).toEqual([
      { method: 'schedule', args: [ALICE.id, id, T2] },
      { method: 'cancel', args: [ALICE.id, id, T2] },
    ]);
  });

  it('a todo changed between the compare and the write (412) keeps the job it scheduled', async () => {
    // The todo still is: its time may be the one scheduled, through the change that won.
    const { service, scheduler } = setup(
      { findById: () => Promise.resolve(alices), update: () => Promise.resolve(null) },
      { schedule: () => Promise.resolve() },
    );
    await expect(
      service.update(ALICE, id, { remind_at: T2.toISOString() }, tagOf(alices)),
    ).rejects.toThrow(PreconditionFailedException);
    expect(scheduler.calls).toEqual([{ method: 'schedule', args: [ALICE.id, id, T2] }]);
  });

  it("cancels the removed todo's job only after the owner-filtered delete removed it", async () => {
    const order: string[] = [];
    const { service, scheduler } = setup(
      { remove: () => (order.push('remove'), Promise.resolve(alices)) },
      { cancel: () => (order.push('cancel'), Promise.resolve()) },
    );
    await service.remove(ALICE, id);
    expect(order).toEqual(['remove', 'cancel']);
    expect(scheduler.mocks.cancel).toHaveBeenCalledWith(ALICE.id, id, T1);
  });
});
