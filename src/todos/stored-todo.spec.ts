import { Types } from 'mongoose';
import { storedInstant } from './stored-todo.js';

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
