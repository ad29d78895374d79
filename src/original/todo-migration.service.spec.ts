import { Types } from 'mongoose';
import { strictFake } from '../../test/unit/strict-fake.js';
import type { StoredTodo } from '../todos/stored-todo.js';
import type { OriginalTodosRepository } from './original-todos.repository.js';
import { TodoMigration } from './todo-migration.service.js';

const original = (): StoredTodo => ({
  _id: new Types.ObjectId(),
  content: 'x',
  created_at: 1796111889.28,
  is_finished: false,
  finished_at: null,
});
const current = (): StoredTodo => ({
  _id: new Types.ObjectId(),
  content: 'y',
  created_at: new Date('2026-11-27T10:00:00.000Z'),
  is_finished: false,
  finished_at: null,
  remind_at: null,
  reminded_at: null,
});

/** A repository that hands out `batches` in order, then nothing. */
function setup(
  batches: StoredTodo[][],
  fakes: Partial<Record<keyof OriginalTodosRepository, unknown>> = {},
) {
  const todos = strictFake<OriginalTodosRepository>('original todos', {
    estimatedCount: () => Promise.resolve(batches.flat().length),
    batchAfter: () => Promise.resolve(batches.shift() ?? []),
    ...fakes,
  });
  return { migration: new TodoMigration(todos), todos };
}

describe('TodoMigration', () => {
  it('converts what is not current, read after the last id read, in writes of a batch', async () => {
    const first = [original(), current(), original(), original(), original()];
    const second = [{ _id: new Types.ObjectId(), content: 42 }];
    const { migration, todos } = setup([first, second], {
      convert: (conversions: unknown[]) => Promise.resolve(conversions.length),
    });
    await expect(migration.convertAll(false, { batch: 2, writers: 4 })).resolves.toEqual({
      read: 6,
      converted: 4,
      current: 1,
      unreadable: 1,
    });
    expect(todos.mocks.batchAfter).toHaveBeenNthCalledWith(2, first[4]._id, 5_000);
    // Four conversions, in writes of two.
    const written = todos.mocks.convert.mock.calls.map(([part]) =>
      (part as { id: unknown }[]).map((c) => c.id),
    );
    expect(written).toEqual([
      [first[0]._id, first[2]._id],
      [first[3]._id, first[4]._id],
    ]);
  });

  it('writes nothing on a dry run', async () => {
    const { migration } = setup([[original()]]);
    await expect(migration.convertAll(true, { batch: 10, writers: 4 })).resolves.toMatchObject({
      converted: 1,
    });
  });

  it('sums what every write changed, as many writes at a time as it is told', async () => {
    const many = Array.from({ length: 9 }, original);
    let running = 0;
    let most = 0;
    const { migration } = setup([many], {
      convert: async (conversions: unknown[]) => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return conversions.length;
      },
    });
    await expect(migration.convertAll(false, { batch: 2, writers: 3 })).resolves.toMatchObject({
      converted: 9,
    });
    expect(most).toBe(3);
  });

  it('adopts every ownerless id it reads, in writes of a batch, counting what changed', async () => {
    const ids = Array.from({ length: 5 }, () => new Types.ObjectId());
    const owner = new Types.ObjectId().toHexString();
    const reads = [ids.slice(0, 4), ids.slice(4), []];
    const { migration, todos } = setup([], {
      countOwnerless: () => Promise.resolve(5),
      ownerlessAfter: () => Promise.resolve(reads.shift()),
      // One of them was adopted by another run meanwhile: it is not counted.
      adopt: (part: Types.ObjectId[]) => Promise.resolve(part.includes(ids[1]) ? 1 : part.length),
    });
    await expect(migration.adoptAll(owner, { batch: 2, writers: 4 })).resolves.toBe(4);
    expect(todos.mocks.ownerlessAfter).toHaveBeenNthCalledWith(2, ids[3], 5_000);
    expect(todos.mocks.adopt.mock.calls).toEqual([
      [[ids[0], ids[1]], owner],
      [[ids[2], ids[3]], owner],
      [[ids[4]], owner],
    ]);
  });
});
