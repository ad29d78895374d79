import { Types } from 'mongoose';
import { conversionOf } from './todo-migration.js';

const _id = new Types.ObjectId('6650f1c2a1b2c3d4e5f60718');

describe('conversionOf', () => {
  it("converts the original's document to dates, adding the missing fields", () => {
    const stored = {
      _id,
      content: 'x',
      created_at: 1796111889.2834,
      is_finished: true,
      finished_at: 1796111900.5,
    };
    expect(conversionOf(stored)).toEqual({
      id: _id,
      was: {
        created_at: 1796111889.2834,
        finished_at: 1796111900.5,
        remind_at: undefined,
        reminded_at: undefined,
      },
      set: {
        created_at: new Date(1796111889283),
        finished_at: new Date(1796111900500),
        remind_at: null,
        reminded_at: null,
      },
    });
  });

  it('leaves a document in this service form as it is', () => {
    const stored = {
      _id,
      content: 'x',
      created_at: new Date(),
      is_finished: false,
      finished_at: null,
      remind_at: null,
      reminded_at: null,
    };
    expect(conversionOf(stored)).toBe('current');
  });

  it('takes the time inside the ObjectId when created_at names none, and fixes is_finished', () => {
    const conversion = conversionOf({
      _id,
      content: 'x',
      created_at: 'garbage',
      is_finished: 'yes',
    });
    expect(conversion).toMatchObject({
      set: { created_at: _id.getTimestamp(), is_finished: false, finished_at: null },
    });
  });

  it('leaves a document that is no todo alone', () => {
    expect(conversionOf({ _id, content: 42, created_at: 1 })).toBe('unreadable');
    expect(conversionOf({ _id: 'legacy', content: 'x', created_at: 1 })).toBe('unreadable');
  });
});
