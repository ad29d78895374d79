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
  it('converts what is not current, batch by batch, after the last id read', async () => {
    const first = [original(), current()];
    const second = [{ _id: new Types.ObjectId(), content: 42 }];
    const { migration, todos } = setup([first, second], {
      convert: (conversions: unknown[]) => Promise.resolve(conversions.length),
    });
    await expect(migration.convertAll(false, 2)).resolves.toEqual({
      read: 3,
      converted: 1,
      current: 1,
      unreadable: 1,
    });
    expect(todos.mocks.batchAfter).toHaveBeenNthCalledWith(2, first[1]._id, 2);
  });

  it('writes nothing on a dry run', async () => {
    const { migration } = setup([[original()]]);
    await expect(migration.convertAll(true, 10)).resolves.toMatchObject({ converted: 1 });
  });

  it('adopts batch by batch until none is left', async () => {
    const done = [2, 1, 0];
    const { migration } = setup([], {
      countOwnerless: () => Promise.resolve(3),
      adoptOwnerless: () => Promise.resolve(done.shift()),
    });
    await expect(migration.adoptAll(new Types.ObjectId().toHexString(), 2)).resolves.toBe(3);
  });
});
