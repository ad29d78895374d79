import type { AppConfig } from '../config/configuration.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import { OriginalWritesWatcher } from './original-writes.watcher.js';
import type { OriginalTodosRepository } from './original-todos.repository.js';

function watcher(polls: string[][]) {
  const todos = strictFake<OriginalTodosRepository>('todos', {
    idsCreatedSince: () => Promise.resolve(polls.shift() ?? []),
    noticeOutsideWrites: () => Promise.resolve(),
  });
  const config = { storeOriginalTimes: true, originalWritesPollMs: 1_000 } as AppConfig;
  return { watcher: new OriginalWritesWatcher(todos, config), todos };
}

describe('OriginalWritesWatcher', () => {
  it('invalidates on the first look and whenever an id is new, not otherwise', async () => {
    const { watcher: w, todos } = watcher([['a'], ['a'], ['a', 'b'], ['b'], ['b', 'c']]);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await w.poll());
    expect(results).toEqual([true, false, true, false, true]);
    expect(todos.mocks.noticeOutsideWrites).toHaveBeenCalledTimes(3);
  });

  it('survives a failed look and tries again', async () => {
    const todos = strictFake<OriginalTodosRepository>('todos', {
      idsCreatedSince: () => Promise.reject(new Error('MongoDB away')),
    });
    const w = new OriginalWritesWatcher(todos, { storeOriginalTimes: true } as AppConfig);
    await expect(w.poll()).resolves.toBe(false);
  });
});
