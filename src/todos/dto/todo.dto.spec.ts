import { Types } from 'mongoose';
import { readStoredTodo } from '../stored-todo.js';

describe('readStoredTodo', () => {
  it('maps a stored todo to the API shape with ISO dates and nulls', () => {
    const _id = new Types.ObjectId('6650f1c2a1b2c3d4e5f60718');
    const dto = readStoredTodo({
      _id,
      content: 'Buy milk',
      created_at: new Date('2026-11-27T10:00:00Z'),
      is_finished: true,
      finished_at: new Date('2026-11-27T11:00:00Z'),
      remind_at: null,
      reminded_at: null,
    });
    expect(dto).toEqual({
      id: '6650f1c2a1b2c3d4e5f60718',
      content: 'Buy milk',
      is_finished: true,
      created_at: '2026-11-27T10:00:00.000Z',
      finished_at: '2026-11-27T11:00:00.000Z',
      remind_at: null,
      reminded_at: null,
    });
  });
});
