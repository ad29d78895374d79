import type { TodoPageDto } from '../src/todos/dto/todo.dto.js';
import { useApi, type ApiResponse } from './support/api.js';

const DATABASE = 'todo_e2e_cache_carry';

/**
 * A create carries its owner's cached first page forward (`FirstPageCarry`) instead of
 * dropping it: the next read is a hit, and must be what the database would answer.
 */
describe('a create carries the cached first page (e2e)', () => {
  const api = useApi(DATABASE, { resetEach: true });

  const list = (query = '') => api.request<TodoPageDto>('GET', `/todos${query}`);
  const create = (content: string) => api.request('POST', '/todos', { json: { content } });

  /** The first page made from the database now: every view dropped, then read. */
  async function fromDatabase(): Promise<ApiResponse<TodoPageDto>> {
    await api.cache.invalidate();
    const page = await list();
    expect(page.headers.get('x-cache')).toBe('MISS');
    return page;
  }

  /** Body and tag of a carried hit equal the database's page, and its cursor leads on right. */
  async function expectAsDatabase(carried: ApiResponse<TodoPageDto>): Promise<void> {
    expect(carried.headers.get('x-cache')).toBe('HIT');
    const truth = await fromDatabase();
    expect(carried.text).toBe(truth.text);
    expect(carried.headers.get('etag')).toBe(truth.headers.get('etag'));
  }

  it('answers the next read from the cache, byte for byte the page the database gives', async () => {
    for (let n = 1; n <= 12; n++) await create(`todo ${n}`);
    expect((await list()).headers.get('x-cache')).toBe('MISS');
    expect((await list()).headers.get('x-cache')).toBe('HIT');

    await create('newest');
    const carried = await list();
    expect(carried.body.items.map((t) => t.content)).toEqual([
      'newest',
      ...Array.from({ length: 9 }, (_, n) => `todo ${12 - n}`),
    ]);
    // The carried cursor starts page 2 right after the carried page's last row.
    const second = await list(`?cursor=${carried.body.next_cursor}`);
    expect(second.body.items.map((t) => t.content)).toEqual(['todo 3', 'todo 2', 'todo 1']);
    await expectAsDatabase(carried);
  });

  it('gives a short page its first cursor once it passes the page size', async () => {
    for (let n = 1; n <= 10; n++) await create(`todo ${n}`);
    expect((await list()).body.next_cursor).toBeNull();
    await create('eleventh');
    const carried = await list();
    expect(carried.body.items).toHaveLength(10);
    expect(carried.body.next_cursor).not.toBeNull();
    await expectAsDatabase(carried);
  });

  it('holds under concurrent creates: the page is the database’s, whichever write won', async () => {
    for (let n = 1; n <= 5; n++) await create(`todo ${n}`);
    await list();
    const carriedBefore = api.cache.stats.carried;
    const created = await Promise.all(Array.from({ length: 40 }, (_, n) => create(`racing ${n}`)));
    expect(created.every((response) => response.status === 201)).toBe(true);
    // Some carried the page; the rest found it carried by another since they read it, and
    // dropped it (a carry is made only over the generation it read).
    const carried = api.cache.stats.carried - carriedBefore;
    expect(carried).toBeGreaterThan(0);
    const after = await list();
    const truth = await fromDatabase();
    expect(after.text).toBe(truth.text);
  });

  it('still drops the page on a change or a delete, and on another view’s create', async () => {
    const { body: first } = await api.request<{ id: string }>('POST', '/todos', {
      json: { content: 'a' },
    });
    await list();
    await api.request('PATCH', `/todos/${first.id}`, { json: { is_finished: true } });
    expect((await list()).headers.get('x-cache')).toBe('MISS');
    expect((await list('?finished=true')).headers.get('x-cache')).toBe('MISS');
    await create('b');
    // Only the first page as GET /todos asks for it is carried; other views are dropped.
    expect((await list('?finished=true')).headers.get('x-cache')).toBe('MISS');
    expect((await list()).headers.get('x-cache')).toBe('HIT');
    await api.request('DELETE', `/todos/${first.id}`);
    const after = await list();
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(after.body.items.map((t) => t.content)).toEqual(['b']);
  });
});
