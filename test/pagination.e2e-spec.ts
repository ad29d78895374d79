import type { TodoPageDto } from '../src/todos/dto/todo.dto.js';
import { expectError, useApi, type TestApi } from './support/api.js';
import { EPOCH, insertTodos, todoDocs } from './support/todo-docs.js';

/**
 * Inserts `count` todos directly, several sharing each creation millisecond so the `_id`
 * tie-break is exercised, and returns their ids in the API's order (newest first).
 */
async function seed(api: TestApi, count: number): Promise<string[]> {
  const docs = todoDocs(count, (i) => ({
    created_at: new Date(EPOCH + Math.floor(i / 3)),
    is_finished: i % 4 === 0,
  }));
  await insertTodos(api, docs);
  return docs
    .sort(
      (a, b) =>
        b.created_at.getTime() - a.created_at.getTime() ||
        (b._id.toHexString() < a._id.toHexString() ? -1 : 1),
    )
    .map((d) => d._id.toHexString());
}

async function walk(
  api: TestApi,
  limit: number,
  between?: (page: number) => Promise<void>,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const response = await api.request<TodoPageDto>('GET', `/todos?limit=${limit}${query}`);
    expect(response.status).toBe(200);
    expect(response.body.items.length).toBeLessThanOrEqual(limit);
    seen.push(...response.body.items.map((t) => t.id));
    cursor = response.body.next_cursor;
    if (!cursor) return seen;
    await between?.(page);
  }
  throw new Error('the walk did not end');
}

describe('pagination (e2e)', () => {
  const api = useApi('todo_e2e_pagination', { resetEach: true });

  it('walks every todo exactly once, newest first, by cursor', async () => {
    const expected = await seed(api, 95);
    expect(await walk(api, 10)).toEqual(expected);
    expect(await walk(api, 100)).toEqual(expected);
    expect(await walk(api, 1)).toEqual(expected);
  });

  it('ends with a null cursor exactly on the last page', async () => {
    await seed(api, 20);
    const first = await api.request<TodoPageDto>('GET', '/todos?limit=10');
    const second = await api.request<TodoPageDto>(
      'GET',
      `/todos?limit=10&cursor=${encodeURIComponent(first.body.next_cursor ?? '')}`,
    );
    expect(second.body.items).toHaveLength(10);
    expect(second.body.next_cursor).toBeNull();
  });

  it('agrees with offset pages when nothing changes', async () => {
    await seed(api, 47);
    const byCursor = await walk(api, 7);
    const byOffset: string[] = [];
    for (let start = 0; start < 47; start += 7) {
      const page = await api.request<TodoPageDto>('GET', `/todos?limit=7&start=${start}`);
      byOffset.push(...page.body.items.map((t) => t.id));
    }
    expect(byOffset).toEqual(byCursor);
  });

  it('returns each todo present at the start exactly once while others are inserted and deleted', async () => {
    const initial = await seed(api, 60);
    const deletedAhead = new Set<string>();
    const inserted = new Set<string>();
    const seen = await walk(api, 8, async (page) => {
      // Newer todos land before the cursor: they must not shift later pages.
      for (let i = 0; i < 3; i++) {
        const created = await api.request<{ id: string }>('POST', '/todos', {
          json: { content: `new ${page}.${i}` },
        });
        inserted.add(created.body.id);
      }
      // Delete one already seen (must not shift later pages) and one not yet seen.
      const seenSoFar = initial.slice(0, (page + 1) * 8);
      await api.request('DELETE', `/todos/${seenSoFar[page]}`);
      const ahead = initial[initial.length - 1 - page];
      if (!seenSoFar.includes(ahead)) {
        await api.request('DELETE', `/todos/${ahead}`);
        deletedAhead.add(ahead);
      }
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => inserted.has(id))).toEqual([]);
    expect(seen).toEqual(initial.filter((id) => !deletedAhead.has(id)));
    expect(deletedAhead.size).toBeGreaterThan(0);
  });

  it('pages within a finished filter by cursor', async () => {
    await seed(api, 30);
    const first = await api.request<TodoPageDto>('GET', '/todos?finished=true&limit=5');
    const rest = await api.request<TodoPageDto>(
      'GET',
      `/todos?finished=true&limit=5&cursor=${encodeURIComponent(first.body.next_cursor ?? '')}`,
    );
    const all = [...first.body.items, ...rest.body.items];
    expect(all).toHaveLength(8); // i % 4 === 0 for i < 30
    expect(all.every((t) => t.is_finished)).toBe(true);
  });

  it('refuses a cursor that was tampered with', async () => {
    await seed(api, 5);
    const page = await api.request<TodoPageDto>('GET', '/todos?limit=2');
    const cursor = page.body.next_cursor ?? '';
    const tampered = `${Buffer.from(`${Date.now()}.${'a'.repeat(24)}`).toString('base64url')}.${cursor.split('.')[1]}`;
    expectError(await api.request('GET', `/todos?cursor=${tampered}`), 400);
  });
});
