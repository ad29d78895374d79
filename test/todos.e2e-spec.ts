import type { LegacyTodoDto } from '../src/original/dto/legacy-todo.dto.js';
import type { TodoDto, TodoPageDto } from '../src/todos/dto/todo.dto.js';
import { expectError, useApi } from './support/api.js';

describe('todos API (e2e)', () => {
  const api = useApi('todo_e2e_todos', { resetEach: true });

  it('creates, reads, lists, finishes, unfinishes and deletes a todo', async () => {
    const created = await api.request<TodoDto>('POST', '/todos', {
      json: { content: '  Buy milk  ' },
    });
    expect(created.status).toBe(201);
    const todo = created.body;
    expect(todo).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as unknown,
      content: 'Buy milk',
      is_finished: false,
      created_at: expect.any(String) as unknown,
      finished_at: null,
      remind_at: null,
      reminded_at: null,
    });
    expect(created.headers.get('location')).toBe(`/todos/${todo.id}`);
    expect(Date.parse(todo.created_at)).toBeGreaterThan(Date.now() - 60_000);

    const fetched = await api.request<TodoDto>('GET', `/todos/${todo.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(todo);

    const list = await api.request<TodoPageDto>('GET', '/todos');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [todo], next_cursor: null });

    const finished = await api.request<TodoDto>('PATCH', `/todos/${todo.id}`, {
      json: { is_finished: true },
    });
    expect(finished.status).toBe(200);
    expect(finished.body.is_finished).toBe(true);
    expect(Date.parse(finished.body.finished_at ?? '')).toBeGreaterThanOrEqual(
      Date.parse(todo.created_at),
    );

    const unfinished = await api.request<TodoDto>('PATCH', `/todos/${todo.id}`, {
      json: { is_finished: false, content: 'Buy oat milk' },
    });
    expect(unfinished.body).toMatchObject({
      is_finished: false,
      finished_at: null,
      content: 'Buy oat milk',
    });

    expect((await api.request('DELETE', `/todos/${todo.id}`)).status).toBe(204);
    expectError(await api.request('GET', `/todos/${todo.id}`), 404);
    expectError(await api.request('DELETE', `/todos/${todo.id}`), 404);
    expectError(await api.request('PATCH', `/todos/${todo.id}`, { json: { content: 'x' } }), 404);
    expect(await api.todos.countDocuments()).toBe(0);
  });

  it('creates from a form body too', async () => {
    const created = await api.request<TodoDto>('POST', '/todos', {
      form: { content: 'from a form' },
    });
    expect(created.status).toBe(201);
    expect(created.body.content).toBe('from a form');
  });

  it('stores and clears a future remind_at', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const created = await api.request<TodoDto>('POST', '/todos', {
      json: { content: 'call', remind_at: at },
    });
    expect(created.body.remind_at).toBe(at);
    const cleared = await api.request<TodoDto>('PATCH', `/todos/${created.body.id}`, {
      json: { remind_at: null },
    });
    expect(cleared.body.remind_at).toBeNull();
  });

  it('filters by finished', async () => {
    const a = await api.request<TodoDto>('POST', '/todos', { json: { content: 'a' } });
    await api.request<TodoDto>('POST', '/todos', { json: { content: 'b' } });
    await api.request('PATCH', `/todos/${a.body.id}`, { json: { is_finished: true } });
    const done = await api.request<TodoPageDto>('GET', '/todos?finished=true');
    const open = await api.request<TodoPageDto>('GET', '/todos?finished=false');
    expect(done.body.items.map((t) => t.content)).toEqual(['a']);
    expect(open.body.items.map((t) => t.content)).toEqual(['b']);
  });

  describe('the original service routes', () => {
    it("GET /todo answers the original's JSON for the 10 newest todos, paged by start", async () => {
      for (let i = 0; i < 12; i++) {
        await api.request('POST', '/todo', { form: { content: `todo ${i}` } });
      }
      const first = await api.request<LegacyTodoDto[]>('GET', '/todo');
      expect(first.status).toBe(200);
      expect(first.body.map((t) => t.content)).toEqual(
        Array.from({ length: 10 }, (_, i) => `todo ${11 - i}`),
      );
      const [newest] = first.body;
      // The original's five fields, in its order: `_id` as json_util writes it, epoch seconds.
      expect(Object.keys(newest)).toEqual([
        '_id',
        'content',
        'created_at',
        'is_finished',
        'finished_at',
      ]);
      expect(newest._id.$oid).toMatch(/^[0-9a-f]{24}$/);
      expect(Math.abs(newest.created_at - Date.now() / 1000)).toBeLessThan(60);
      expect(newest).toMatchObject({ is_finished: false, finished_at: null });
      const second = await api.request<LegacyTodoDto[]>('GET', '/todo?start=10');
      expect(second.body.map((t) => t.content)).toEqual(['todo 1', 'todo 0']);
      expect((await api.request<LegacyTodoDto[]>('GET', '/todo?start=12')).body).toEqual([]);
    });

    it.each(['abc', '-1', '+5', '%205', '1e1', '%D9%A3', '', '5&start=abc'])(
      "GET /todo?start=%s follows the original's rule: ASCII digits or 0",
      async (start) => {
        for (let i = 0; i < 12; i++)
          await api.request('POST', '/todo', { form: { content: `t${i}` } });
        const page = await api.request<LegacyTodoDto[]>('GET', `/todo?start=${start}`);
        expect(page.status).toBe(200);
        expect(page.body[0].content).toBe(start === '5&start=abc' ? 't6' : 't11');
      },
    );

    it('GET /todo ignores other query parameters and refuses an absurd offset', async () => {
      await api.request('POST', '/todo', { form: { content: 'one' } });
      for (const query of ['?sort=content', '?start[$ne]=1', '?__proto__=x']) {
        const page = await api.request<LegacyTodoDto[]>('GET', `/todo${query}`);
        expect([page.status, page.body.map((t) => t.content)]).toEqual([200, ['one']]);
      }
      expectError(await api.request('GET', '/todo?start=1000001'), 400);
    });

    it('POST /todo answers an empty 200, ignores other fields, and 400 without content', async () => {
      const created = await api.request('POST', '/todo', { form: { content: 'legacy' } });
      expect(created.status).toBe(200);
      expect(created.text).toBe('');
      const extra = await api.request('POST', '/todo', {
        raw: {
          type: 'application/x-www-form-urlencoded',
          body: 'content=first&content=second&x=1',
        },
      });
      expect(extra.status).toBe(200);
      expectError(await api.request('POST', '/todo', { form: {} }), 400);
      expectError(await api.request('POST', '/todo', { form: { content: '  ' } }), 400);
      expectError(await api.request('POST', '/todo', { form: { content: 'x'.repeat(1001) } }), 400);
      const stored = await api.todos.find().sort({ content: 1 }).lean();
      expect(stored.map((t) => t.content)).toEqual(['first', 'legacy']);
    });
  });
});
