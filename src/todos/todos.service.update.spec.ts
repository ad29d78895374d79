import {
  BadRequestException,
  NotFoundException,
  PreconditionFailedException,
} from '@nestjs/common';
import { Types } from 'mongoose';
import type { Owner } from '../auth/owner.js';
import type { TodoFields } from './todos.repository.js';
import {
  ALICE,
  BOB,
  change,
  setup,
  T1,
  T2,
  tagOf,
  todo,
  updating,
} from '../../test/unit/todos.service.fakes.js';

describe('TodosService', () => {
  describe('update', () => {
    it('finishing a todo cancels its reminder, of the time it had before the update', async () => {
      const before = todo({ remind_at: T1 });
      const id = before._id.toHexString();
      const { service, repository, scheduler } = setup(updating(before), {
        cancel: () => Promise.resolve(),
      });
      const updated = await service.update(ALICE, id, { is_finished: true });

      expect(repository.mocks.update).toHaveBeenCalledWith(
        ALICE,
        id,
        { is_finished: true, finished_at: expect.any(Date) },
        undefined, // no If-Match: no state to compare with
      );
      expect(scheduler.calls).toEqual([{ method: 'cancel', args: [ALICE.id, id, T1] }]);
      expect(updated.is_finished).toBe(true);
    });

    it('finishing a todo with a new time schedules nothing and cancels the old time', async () => {
      const before = todo({ remind_at: T1 });
      const id = before._id.toHexString();
      const { service, scheduler } = setup(updating(before), { cancel: () => Promise.resolve() });
      await service.update(ALICE, id, { is_finished: true, remind_at: T2.toISOString() });
      expect(scheduler.calls).toEqual([{ method: 'cancel', args: [ALICE.id, id, T1] }]);
    });

    it("rescheduling reads the owner's todo, schedules the new time, writes, then cancels the previous one", async () => {
      const before = todo({ remind_at: T1, reminded_at: T1 });
      const id = before._id.toHexString();
      const order: string[] = [];
      const { service, repository, scheduler } = setup(
        {
          findById: () => (order.push('findById'), Promise.resolve(before)),
          update: (_owner: Owner, _id: string, set: TodoFields) => (
            order.push('update'),
            Promise.resolve(change(before, set))
          ),
        },
        {
          schedule: () => (order.push('schedule'), Promise.resolve()),
          cancel: () => (order.push('cancel'), Promise.resolve()),
        },
      );
      await service.update(ALICE, id, { remind_at: T2.toISOString() });

      expect(order).toEqual(['findById', 'schedule', 'update', 'cancel']);
      expect(repository.mocks.findById).toHaveBeenCalledWith(ALICE, id);
      expect(scheduler.mocks.schedule).toHaveBeenCalledWith(ALICE.id, id, T2);
      expect(scheduler.mocks.cancel).toHaveBeenCalledWith(ALICE.id, id, T1);
      // A new time has not been reminded of yet.
      expect(repository.mocks.update).toHaveBeenCalledWith(
        ALICE,
        id,
        { remind_at: T2, reminded_at: null },
        undefined,
      );
    });

    it('rescheduling to the same time cancels nothing', async () => {
      const before = todo({ remind_at: T1 });
      const id = before._id.toHexString();
      const { service, scheduler } = setup(
        { findById: () => Promise.resolve(before), ...updating(before) },
        {
          schedule: () => Promise.resolve(),
          cancel: () => Promise.resolve(),
        },
      );
      await service.update(ALICE, id, { remind_at: T1.toISOString() });
      expect(scheduler.mocks.schedule).toHaveBeenCalledWith(ALICE.id, id, T1);
      expect(scheduler.mocks.cancel).not.toHaveBeenCalled();
    });

    it('clearing the reminder cancels the previous time and schedules nothing', async () => {
      const before = todo({ remind_at: T1 });
      const id = before._id.toHexString();
      const { service, repository, scheduler } = setup(updating(before), {
        cancel: () => Promise.resolve(),
      });
      await service.update(ALICE, id, { remind_at: null });
      expect(repository.mocks.update).toHaveBeenCalledWith(
        ALICE,
        id,
        { remind_at: null },
        undefined,
      );
      expect(scheduler.calls).toEqual([{ method: 'cancel', args: [ALICE.id, id, T1] }]);
    });

    it('under If-Match, writes only over the state it compared, and refuses a stale tag (412) unwritten', async () => {
      const before = todo({ content: 'seen' });
      const id = before._id.toHexString();
      const current = tagOf(before);
      const { service, repository } = setup({
        findById: () => Promise.resolve(before),
        ...updating(before),
      });
      await expect(
        service.update(ALICE, id, { content: 'mine' }, '"not the current one"'),
      ).rejects.toThrow(PreconditionFailedException);
      expect(repository.mocks.update).not.toHaveBeenCalled();

      const updated = await service.update(ALICE, id, { content: 'mine' }, `"x", ${current}`);
      expect(updated.content).toBe('mine');
      expect(repository.mocks.findById).toHaveBeenCalledWith(ALICE, id);
      expect(repository.mocks.update).toHaveBeenCalledWith(ALICE, id, { content: 'mine' }, before);
    });

    it("is a 404 for another owner's todo, with or without If-Match, and writes nothing", async () => {
      const alices = todo();
      const id = alices._id.toHexString();
      // The repository finds only the owner's todos: for BOB there is none of this id.
      const { service, repository } = setup({
        findById: (owner: Owner) => Promise.resolve(owner === ALICE ? alices : null),
        update: () => Promise.resolve(null),
      });
      await expect(service.update(BOB, id, { content: 'x' })).rejects.toThrow(
        new NotFoundException(`todo ${id} not found`),
      );
      expect(repository.mocks.update).toHaveBeenCalledWith(BOB, id, { content: 'x' }, undefined);
      // Even with alice's current tag, not a 412: for bob the todo does not exist.
      await expect(service.update(BOB, id, { content: 'x' }, tagOf(alices))).rejects.toThrow(
        NotFoundException,
      );
      await expect(service.update(BOB, id, { content: 'x' }, '*')).rejects.toThrow(
        NotFoundException,
      );
      expect(repository.mocks.findById).not.toHaveBeenCalledWith(ALICE, id);
      expect(repository.mocks.update).toHaveBeenCalledTimes(1);
    });

    it("under If-Match, removing another owner's todo is a 404 and removes nothing", async () => {
      const alices = todo();
      const id = alices._id.toHexString();
      const { service, repository } = setup({
        findById: (owner: Owner) => Promise.resolve(owner === ALICE ? alices : null),
        remove: () => Promise.resolve(null),
      });
      await expect(service.remove(BOB, id, tagOf(alices))).rejects.toThrow(NotFoundException);
      expect(repository.mocks.findById).toHaveBeenCalledWith(BOB, id);
      expect(repository.mocks.remove).not.toHaveBeenCalled();
    });

    it('under If-Match, a todo changed between the compare and the write is a 412, a removed one a 404', async () => {
      const before = todo();
      const id = before._id.toHexString();
      const tag = tagOf(before);
      const changedMeanwhile = setup({
        findById: () => Promise.resolve(before), // as read, and still there after the miss
        update: () => Promise.resolve(null),
      });
      await expect(
        changedMeanwhile.service.update(ALICE, id, { content: 'x' }, tag),
      ).rejects.toThrow(PreconditionFailedException);
      let reads = 0;
      const removedMeanwhile = setup({
        findById: () => Promise.resolve(reads++ === 0 ? before : null),
        update: () => Promise.resolve(null),
      });
      await expect(
        removedMeanwhile.service.update(ALICE, id, { content: 'x' }, tag),
      ).rejects.toThrow(NotFoundException);
    });

    it('an empty update is a 400 without any repository or scheduler call', async () => {
      const { service } = setup();
      await expect(service.update(ALICE, new Types.ObjectId().toHexString(), {})).rejects.toThrow(
        BadRequestException,
      );
    });
  });
});
