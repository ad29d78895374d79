import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { Types } from 'mongoose';
import { readStoredTodo, type StoredTodo } from '../todos/stored-todo.js';
import { formatExport } from './export-format.js';

const stored = (content: unknown): StoredTodo => ({
  _id: new Types.ObjectId(),
  content,
  created_at: 1796111889.28,
});

describe('formatExport', () => {
  it('writes the readable todos and drops the others, counting each', async () => {
    const seen: boolean[] = [];
    const bytes = formatExport(
      Readable.from([stored('a'), stored(42), stored('b')]),
      'json',
      readStoredTodo,
      (written) => seen.push(written),
    );
    const todos = JSON.parse(await text(bytes)) as { content: string }[];
    expect(todos.map((todo) => todo.content)).toEqual(['a', 'b']);
    expect(seen).toEqual([true, false, true]);
  });

  it('fails the stream, not the process, when reading a todo throws', async () => {
    const bytes = formatExport(
      Readable.from([stored('a'), stored('b')]),
      'csv',
      () => {
        throw new TypeError('record.created_at.toISOString is not a function');
      },
      () => undefined,
    );
    await expect(text(bytes)).rejects.toThrow('toISOString is not a function');
  });
});
