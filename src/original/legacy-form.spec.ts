import { Types } from 'mongoose';
import { readStoredTodo } from '../todos/stored-todo.js';
import { toLegacyTodo } from './legacy-form.js';

describe('toLegacyTodo', () => {
  it("keeps the original's own seconds exactly and converts a date of ours", () => {
    const stored = {
      _id: new Types.ObjectId('6650f1c2a1b2c3d4e5f60718'),
      content: 'x',
      created_at: 1796111889.283456,
      is_finished: true,
      finished_at: new Date(1796111900_250),
    };
    const todo = readStoredTodo(stored);
    expect(todo && toLegacyTodo(stored, todo)).toEqual({
      _id: { $oid: '6650f1c2a1b2c3d4e5f60718' },
      content: 'x',
      created_at: 1796111889.283456,
      is_finished: true,
      finished_at: 1796111900.25,
    });
  });
});
