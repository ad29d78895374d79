import { describe, expect, it } from '@jest/globals';
import { Types } from 'mongoose';
import { noteOf } from '../cache/view-note.js';
import type { TodoPageDto } from './dto/todo.dto.js';
import type { StoredTodo } from './stored-todo.js';
import { ALICE, cursors, query, setup, todo } from '../../test/unit/todos.service.fakes.js';
import { FirstPageCarry } from './first-page-carry.js';
import { TodoReader } from './todo-reader.js';

const carry = new FirstPageCarry(cursors, new TodoReader());
const at = (ms: number) => new Date(Date.UTC(2026, 10, 27) + ms);
/** ObjectIds in creation order, so ties on `created_at` order as MongoDB's `_id` desc does. */
const id = (n: number) => new Types.ObjectId(n.toString(16).padStart(24, '0'));

/**
 * The first page and its note as `TodosService.list` makes them from `rows`, given newest
 * first as the database's sort would: the truth a carried page must equal, byte for byte.
 */
async function firstPage(rows: StoredTodo[]) {
  const { service } = setup({
    page: (_owner: unknown, _filter: unknown, _skip: number, limit: number) =>
      Promise.resolve(rows.slice(0, limit)),
  });
  const page = await service.list(ALICE, query({}));
  return { body: JSON.stringify(page), note: noteOf(page) };
}

/** The view `created` leaves, carried from the first page of `rows`. */
async function carried(rows: StoredTodo[], created: StoredTodo) {
  const before = await firstPage(rows);
  if (before.note === undefined) throw new Error('no note');
  return carry.after(ALICE, created).next({ body: before.body, note: before.note });
}

/** `count` todos of ours, newest first, a millisecond apart. */
const dated = (count: number, from = 0) =>
  Array.from({ length: count }, (_, n) =>
    todo({ _id: id(1000 - n - from), created_at: at(-(n + from)) }),
  );

describe('FirstPageCarry', () => {
  it('puts a new todo first on a full page and names the new last row in the cursor', async () => {
    const rows = dated(15);
    const created = todo({ _id: id(2000), created_at: at(1) });
    expect(await carried(rows, created)).toEqual(await firstPage([created, ...rows]));
  });

  it('adds to a short page without a cursor, and gives a page of exactly ten its first cursor', async () => {
    for (const count of [0, 3, 9, 10]) {
      const rows = dated(count);
      const created = todo({ _id: id(2000), created_at: at(1) });
      const after = await firstPage([created, ...rows]);
      expect(await carried(rows, created)).toEqual(after);
      expect((JSON.parse(after.body) as TodoPageDto).next_cursor === null).toBe(count < 10);
    }
  });

  it('places a todo created earlier than the newest where the sort puts it (racing creates)', async () => {
    const rows = dated(12);
    const created = todo({ _id: id(50), created_at: at(-2) }); // ties row 2's time, lower id
    const truth = [...rows.slice(0, 3), created, ...rows.slice(3)];
    expect(await carried(rows, created)).toEqual(await firstPage(truth));
  });

  it("orders by BSON type: dates before the original's epoch seconds, the cursor keeping the type", async () => {
    // What a cutover leaves: our dates first, then the original's floats (newest first each).
    const floats = Array.from({ length: 6 }, (_, n) =>
      todo({ _id: id(500 - n), created_at: 1_700_000_000.5 - n } as never),
    );
    const rows = [...dated(5), ...floats];
    const created = todo({ _id: id(2000), created_at: at(1) });
    const next = await carried(rows, created);
    expect(next).toEqual(await firstPage([created, ...rows]));
    // The new last row is a float: the next page must compare numbers with numbers.
    const cursor = (JSON.parse(next!.body) as TodoPageDto).next_cursor!;
    expect(cursors.decode(ALICE.id, cursor)?.createdAt).toBe(1_700_000_000.5 - 3);
  });

  it('leaves a full page as it was when the new todo sorts after it (a number below dates)', async () => {
    const rows = dated(12);
    const before = await firstPage(rows);
    const created = todo({ _id: id(2000), created_at: 1_800_000_000 } as never);
    expect(await carried(rows, created)).toEqual(before);
  });

  it('keeps a page that holds the todo already (read after its insert)', async () => {
    const created = todo({ _id: id(2000), created_at: at(1) });
    const rows = [created, ...dated(11)];
    expect(await carried(rows, created)).toEqual(await firstPage(rows));
  });

  it('gives up on values it does not order, and on a note that is not the page', async () => {
    const rows = [todo({ _id: id(5), created_at: 'yesterday' } as never), ...dated(3)];
    const created = todo({ _id: id(2000), created_at: 'today' } as never);
    expect(await carried(rows, created)).toBeUndefined();
    const page = await firstPage(dated(3));
    const next = carry.after(ALICE, todo({ created_at: at(1) }));
    expect(next.next({ body: page.body, note: '[null]' })).toBeUndefined();
  });

  it('notes no page with an unreadable row (the page does not show it, the cursor does)', async () => {
    const rows = [...dated(4), { _id: id(3), content: 42 } as StoredTodo];
    expect((await firstPage(rows)).note).toBeUndefined();
  });

  it('notes only the first page as GET /todos asks for it', async () => {
    const { service } = setup({ page: () => Promise.resolve(dated(3)) });
    for (const other of [{ limit: 20 }, { start: 1 }, { finished: false }]) {
      expect(noteOf(await service.list(ALICE, query(other)))).toBeUndefined();
    }
    expect(noteOf(await service.list(ALICE, query({ start: 0 })))).toBeDefined();
  });
});
