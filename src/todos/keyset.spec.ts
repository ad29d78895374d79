import { trusted, Types } from 'mongoose';
import { afterPosition } from './keyset.js';

const id = '6650f1c2a1b2c3d4e5f60718';
const clauses = (createdAt: unknown) =>
  (afterPosition({ createdAt, id }) as { $or: Record<string, unknown>[] }).$or;
/** The `$type` list of the clause that takes every later BSON type group. */
function laterTypes(createdAt: unknown): string[] | undefined {
  for (const { created_at: condition } of clauses(createdAt)) {
    const types = (condition as { $type?: string[] } | null)?.$type;
    if (types) return types;
  }
  return undefined;
}

describe('afterPosition', () => {
  it('after a date: earlier dates, the same date with a lower id, then every later type', () => {
    const at = new Date('2026-11-27T10:00:00.000Z');
    const [before, tie, missing] = clauses(at);
    expect(before).toEqual({ created_at: trusted({ $lt: at }) });
    expect(tie).toEqual({ created_at: at, _id: trusted({ $lt: new Types.ObjectId(id) }) });
    expect(missing).toEqual({ created_at: trusted({ $exists: false }) });
    expect(laterTypes(at)).toEqual(
      expect.arrayContaining(['bool', 'object', 'string', 'number', 'null']),
    );
    expect(laterTypes(at)).not.toContain('date');
  });

  it("after the original's float epoch: lower numbers, then only missing and null", () => {
    expect(clauses(1796111889.28)[0]).toEqual({ created_at: trusted({ $lt: 1796111889.28 }) });
    expect(laterTypes(1796111889.28)).toEqual(['null']);
  });

  it('after a string: lower strings, then numbers and below', () => {
    expect(laterTypes('2026-11-27')).toEqual(expect.arrayContaining(['number', 'null']));
    expect(laterTypes('2026-11-27')).not.toContain('date');
  });

  it('after a missing time: only missing or null ones with a lower id', () => {
    expect(clauses(undefined)).toEqual([
      { created_at: null, _id: trusted({ $lt: new Types.ObjectId(id) }) },
    ]);
  });
});
