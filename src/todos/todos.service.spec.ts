import {
  BadRequestException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { trusted, Types } from 'mongoose';
import type { TodoRecord } from './todo.schema.js';
import { cursors, query, setup, T1, todo } from './todos.service.fakes.js';

describe('TodosService', () => {
  describe('create', () => {
    it('schedules the reminder before writing the todo, under the id it writes', async () => {
      const order: string[] = [];
      const { service, repository, scheduler } = setup(
        { create: (fields: TodoRecord) => (order.push('create'), Promise.resolve(todo(fields))) },
        { schedule: () => (order.push('schedule'), Promise.resolve()) },
      );
      const created = await service.create({ content: 'Call Bob', remind_at: T1.toISOString() });

      expect(order).toEqual(['schedule', 'create']);
      const [[id, at]] = scheduler.mocks.schedule.mock.calls as unknown as [[string, Date]];
      expect(at).toEqual(T1);
      const [[written]] = repository.mocks.create.mock.calls as unknown as [[TodoRecord]];
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
        service.create({ content: 'Call Bob', remind_at: T1.toISOString() }),
      ).rejects.toThrow(ServiceUnavailableException);
      expect(repository.mocks.create).not.toHaveBeenCalled();
    });

    it('never touches the scheduler without remind_at', async () => {
      const { service, repository } = setup({
        create: (fields: TodoRecord) => Promise.resolve(todo(fields)),
      });
      const created = await service.create({ content: 'Call Bob' });
      expect(repository.mocks.create).toHaveBeenCalledWith(
        expect.objectContaining({ content: 'Call Bob', remind_at: null }),
      );
      expect(created.remind_at).toBeNull();
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
      await service.remove(id);
      expect(repository.mocks.remove).toHaveBeenCalledWith(id, undefined);
      expect(scheduler.calls).toEqual([{ method: 'cancel', args: [id, T1] }]);
    });

    it('an unknown id is a 404 and cancels nothing', async () => {
      const { service } = setup({ remove: () => Promise.resolve(null) });
      await expect(service.remove(new Types.ObjectId().toHexString())).rejects.toThrow(
        NotFoundException,
      );
    });
  });

  describe('list', () => {
    it('refuses start and cursor together with a 400, before any query', async () => {
      const { service } = setup();
      const cursor = cursors.encode({
        createdAt: new Date(),
        id: new Types.ObjectId().toHexString(),
      });
      await expect(service.list(query({ start: 5, cursor }))).rejects.toThrow(BadRequestException);
    });

    it('refuses a malformed cursor with a 400, before any query', async () => {
      const { service } = setup();
      await expect(service.list(query({ cursor: 'not.a-cursor' }))).rejects.toThrow(
        BadRequestException,
      );
    });

    it('asks for one row more than the page and gives a cursor to the next page', async () => {
      const rows = [todo(), todo(), todo()];
      const { service, repository } = setup({ page: () => Promise.resolve(rows) });
      const page = await service.list(query({ limit: 2, start: 4, finished: false }));

      expect(repository.mocks.page).toHaveBeenCalledWith({ is_finished: false }, 4, 3);
      expect(page.items.map((item) => item.id)).toEqual(
        rows.slice(0, 2).map((row) => row._id.toHexString()),
      );
      expect(page.next_cursor).not.toBeNull();
      expect(cursors.decode(page.next_cursor!)).toEqual({
        createdAt: rows[1].created_at,
        id: rows[1]._id.toHexString(),
      });
    });

    it('gives no cursor on the last page', async () => {
      const rows = [todo(), todo()];
      const { service, repository } = setup({ page: () => Promise.resolve(rows) });
      const page = await service.list(query({ limit: 2 }));
      expect(repository.mocks.page).toHaveBeenCalledWith({}, 0, 3);
      expect(page.items).toHaveLength(2);
      expect(page.next_cursor).toBeNull();
    });

    it('turns a cursor into a keyset condition after its position', async () => {
      const last = todo();
      const { service, repository } = setup({ page: () => Promise.resolve([]) });
      const cursor = cursors.encode({ createdAt: last.created_at, id: last._id.toHexString() });
      const page = await service.list(query({ limit: 2, cursor }));

      const [[filter, skip]] = repository.mocks.page.mock.calls as unknown as [
        [{ $or: Record<string, unknown>[] }, number],
      ];
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
