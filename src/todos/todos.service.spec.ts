import {
  BadRequestException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { trusted, Types } from 'mongoose';
import type { Owner } from '../auth/owner.js';
import type { TodoRecord } from './todo.schema.js';
import {
  ALICE,
  BOB,
  cursors,
  LEGACY,
  query,
  setup,
  T1,
  todo,
} from '../../test/unit/todos.service.fakes.js';

describe('TodosService', () => {
  describe('create', () => {
    it("schedules the owner's reminder before writing the todo, under the id it writes", async () => {
      const order: string[] = [];
      const { service, repository, scheduler } = setup(
        {
          create: (_owner: Owner, fields: TodoRecord) => (
            order.push('create'),
            Promise.resolve(todo(fields))
          ),
        },
        { schedule: () => (order.push('schedule'), Promise.resolve()) },
      );
      const created = await service.create(ALICE, {
        content: 'Call Bob',
        remind_at: T1.toISOString(),
      });

      expect(order).toEqual(['schedule', 'create']);
      const [[ownerId, id, at]] = scheduler.mocks.schedule.mock.calls as unknown as [
        [string, string, Date],
      ];
      expect(ownerId).toBe(ALICE.id);
      expect(at).toEqual(T1);
      const [[owner, written]] = repository.mocks.create.mock.calls as unknown as [
        [Owner, TodoRecord],
      ];
      expect(owner).toBe(ALICE);
      expect(written).toEqual({
        _id: expect.any(Types.ObjectId),
        content: 'Call Bob',
        remind_at: T1,
      });
      expect(written._id.toHexString()).toBe(id);
      expect(created).toMatchObject({ id, content: 'Call Bob', remind_at: T1.toISOString() });
    });

    it('writes nothing when the reminder cannot be scheduled', async () => {
      const { service, repository } = setup(
        { create: () => Promise.resolve(todo()) },
        { schedule: () => Promise.reject(new ServiceUnavailableException('queue down')) },
      );
      await expect(
        service.create(ALICE, { content: 'Call Bob', remind_at: T1.toISOString() }),
      ).rejects.toThrow(ServiceUnavailableException);
      expect(repository.mocks.create).not.toHaveBeenCalled();
    });

    it('never touches the scheduler without remind_at', async () => {
      const { service, repository } = setup({
        create: (_owner: Owner, fields: TodoRecord) => Promise.resolve(todo(fields)),
      });
      const created = await service.create(BOB, { content: 'Call Bob' });
      expect(repository.mocks.create).toHaveBeenCalledWith(
        BOB,
        expect.objectContaining({ content: 'Call Bob', remind_at: null }),
        expect.any(Function),
      );
      expect(created.remind_at).toBeNull();
    });
  });

  describe('get', () => {
    it("reads the owner's todo of that id", async () => {
      const stored = todo();
      const id = stored._id.toHexString();
      const { service, repository } = setup({ findById: () => Promise.resolve(stored) });
      expect(await service.get(ALICE, id)).toMatchObject({ id, content: stored.content });
      expect(repository.mocks.findById).toHaveBeenCalledWith(ALICE, id);
    });

    it("is a 404 when the owner has no such todo (another owner's included)", async () => {
      const id = new Types.ObjectId().toHexString();
      const { service, repository } = setup({ findById: () => Promise.resolve(null) });
      await expect(service.get(BOB, id)).rejects.toThrow(
        new NotFoundException(`todo ${id} not found`),
      );
      expect(repository.mocks.findById).toHaveBeenCalledWith(BOB, id);
    });
  });

  describe('remove', () => {
    it("cancels the removed todo's reminder", async () => {
      const removed = todo({ remind_at: T1 });
      const id = removed._id.toHexString();
      const { service, repository, scheduler } = setup(
        { remove: () => Promise.resolve(removed) },
        { cancel: () => Promise.resolve() },
      );
      await service.remove(ALICE, id);
      expect(repository.mocks.remove).toHaveBeenCalledWith(ALICE, id, undefined);
      expect(scheduler.calls).toEqual([{ method: 'cancel', args: [ALICE.id, id, T1] }]);
    });

    it("an unknown id (or another owner's) is a 404 and cancels nothing", async () => {
      const { service, repository } = setup({ remove: () => Promise.resolve(null) });
      const id = new Types.ObjectId().toHexString();
      await expect(service.remove(BOB, id)).rejects.toThrow(NotFoundException);
      expect(repository.mocks.remove).toHaveBeenCalledWith(BOB, id, undefined);
    });
  });

  describe('list', () => {
    const position = () => ({ createdAt: new Date(), id: new Types.ObjectId().toHexString() });

    it('refuses start and cursor together with a 400, before any query', async () => {
      const { service } = setup();
      const cursor = cursors.encode(ALICE.id, position());
      await expect(service.list(ALICE, query({ start: 5, cursor }))).rejects.toThrow(
        BadRequestException,
      );
    });

    it('refuses a malformed cursor with a 400, before any query', async () => {
      const { service } = setup();
      await expect(service.list(ALICE, query({ cursor: 'not.a-cursor' }))).rejects.toThrow(
        BadRequestException,
      );
    });

    it("refuses another owner's cursor with a 400, before any query", async () => {
      const { service } = setup();
      const cursor = cursors.encode(ALICE.id, position());
      await expect(service.list(BOB, query({ cursor }))).rejects.toThrow(BadRequestException);
      await expect(service.list(LEGACY, query({ cursor }))).rejects.toThrow(BadRequestException);
    });

    it("asks for one row more than the owner's page and gives the owner a cursor to the next", async () => {
      const rows = [todo(), todo(), todo()];
      const { service, repository } = setup({ page: () => Promise.resolve(rows) });
      const page = await service.list(ALICE, query({ limit: 2, start: 4, finished: false }));

      expect(repository.mocks.page).toHaveBeenCalledWith(ALICE, { is_finished: false }, 4, 3);
      expect(page.items.map((item) => item.id)).toEqual(
        rows.slice(0, 2).map((row) => row._id.toHexString()),
      );
      expect(page.next_cursor).not.toBeNull();
      expect(cursors.decode(ALICE.id, page.next_cursor!)).toEqual({
        createdAt: rows[1].created_at,
        id: rows[1]._id.toHexString(),
      });
      // The cursor is ALICE's: it names no position for anyone else.
      expect(cursors.decode(BOB.id, page.next_cursor!)).toBeUndefined();
    });

    it('gives no cursor on the last page', async () => {
      const rows = [todo(), todo()];
      const { service, repository } = setup({ page: () => Promise.resolve(rows) });
      const page = await service.list(ALICE, query({ limit: 2 }));
      expect(repository.mocks.page).toHaveBeenCalledWith(ALICE, {}, 0, 3);
      expect(page.items).toHaveLength(2);
      expect(page.next_cursor).toBeNull();
    });

    it('turns a cursor into a keyset condition after its position', async () => {
      const last = todo();
      const { service, repository } = setup({ page: () => Promise.resolve([]) });
      const cursor = cursors.encode(BOB.id, {
        createdAt: last.created_at,
        id: last._id.toHexString(),
      });
      const page = await service.list(BOB, query({ limit: 2, cursor }));

      const [[owner, filter, skip]] = repository.mocks.page.mock.calls as unknown as [
        [Owner, { $or: Record<string, unknown>[] }, number],
      ];
      expect(owner).toBe(BOB);
      expect(skip).toBe(0);
      // Its operators are marked trusted, or the global sanitizeFilter would strip them.
      expect(filter.$or).toEqual([
        { created_at: trusted({ $lt: last.created_at }) },
        { created_at: last.created_at, _id: trusted({ $lt: last._id }) },
        { created_at: trusted({ $exists: false }) },
        { created_at: trusted({ $type: expect.arrayContaining(['string', 'number', 'null']) }) },
      ]);
      expect(page).toEqual({ items: [], next_cursor: null });
    });
  });
});
