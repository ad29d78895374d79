import { Types } from 'mongoose';
import { readStoredTodo, storedInstant, toLegacyTodo } from './stored-todo.js';

describe('storedInstant', () => {
  it.each([
    ['a date', new Date('2026-11-27T10:00:00.000Z'), '2026-11-27T10:00:00.000Z'],
    ["the original's float seconds", 1796111889.28, '2026-12-01T07:58:09.280Z'],
    ['integer seconds', 1796111800, '2026-12-01T07:56:40.000Z'],
    ['seconds as a string', ' 1796111700.5 ', '2026-12-01T07:55:00.500Z'],
    ['ISO-8601', '2026-11-27T10:00:00Z', '2026-11-27T10:00:00.000Z'],
    ['a Decimal128', Types.Decimal128.fromString('1796111600.25'), '2026-12-01T07:53:20.250Z'],
  ])('reads %s', (_name, value, iso) => {
    expect(storedInstant(value)?.toISOString()).toBe(iso);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['out of range', 1e20],
    ['garbage', 'garbage'],
    ['blank', '  '],
    ['a boolean', true],
    ['an object', { at: 1 }],
    ['null', null],
    ['an invalid date', new Date(Number.NaN)],
  ])('names no instant for %s', (_name, value) => {
    expect(storedInstant(value)).toBeNull();
  });
});

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
