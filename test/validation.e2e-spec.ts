import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { expectError, startApi, type RequestOptions, type TestApi } from './support/api.js';

// Always four entries: Jest's it.each takes a callback with more parameters than the row
// has values as one that wants `done`, and the test would wait for it forever.
type BadRequest = [name: string, method: string, path: string, options: RequestOptions];

describe('bad input (e2e)', () => {
  let api: TestApi;
  let todo: TodoDto;

  beforeAll(async () => {
    api = await startApi('todo_e2e_validation');
    todo = (await api.request<TodoDto>('POST', '/todos', { json: { content: 'untouched' } })).body;
  });
  afterAll(async () => {
    await api.close();
  });

  const snapshot = async () => JSON.stringify(await api.todos.find().sort({ _id: 1 }).lean());

  const json = (body: unknown): RequestOptions => ({ json: body });
  const raw = (body: string, type = 'application/json'): RequestOptions => ({
    raw: { body, type },
  });
  const id = () => todo.id;

  const badCreates: BadRequest[] = [
    ['missing content', 'POST', '/todos', json({})],
    ['blank content', 'POST', '/todos', json({ content: '   ' })],
    ['numeric content', 'POST', '/todos', json({ content: 42 })],
    ['null content', 'POST', '/todos', json({ content: null })],
    ['array content', 'POST', '/todos', json({ content: ['a'] })],
    ['over-long content', 'POST', '/todos', json({ content: 'x'.repeat(1001) })],
    ['unknown field', 'POST', '/todos', json({ content: 'a', owner: 'me' })],
    ['operator object as content', 'POST', '/todos', json({ content: { $gt: '' } })],
    [
      'form operator injection',
      'POST',
      '/todos',
      raw('content[$ne]=', 'application/x-www-form-urlencoded'),
    ],
    ['body that is an array', 'POST', '/todos', json([{ content: 'a' }])],
    ['body that is a string', 'POST', '/todos', json('content')],
    ['body that is null', 'POST', '/todos', raw('null')],
    ['invalid JSON', 'POST', '/todos', raw('{"content": ')],
    ['__proto__ key', 'POST', '/todos', raw('{"content":"a","__proto__":{"polluted":true}}')],
    [
      'constructor key',
      'POST',
      '/todos',
      raw('{"content":"a","constructor":{"prototype":{"polluted":true}}}'),
    ],
    ['past remind_at', 'POST', '/todos', json({ content: 'a', remind_at: '2001-01-01T00:00:00Z' })],
    ['malformed remind_at', 'POST', '/todos', json({ content: 'a', remind_at: 'tomorrow' })],
    ['legacy create without content', 'POST', '/todo', { form: {} }],
  ];
  const badReads: BadRequest[] = [
    ...['0', '101', '-1', 'abc', '1.5', '1e2', ''].map((v): BadRequest => [
      `limit=${v}`,
      'GET',
      `/todos?limit=${v}`,
      {},
    ]),
    ['limit twice', 'GET', '/todos?limit=1&limit=2', {}],
    ['start=-1', 'GET', '/todos?start=-1', {}],
    ['start=10001', 'GET', '/todos?start=10001', {}],
    ['start with cursor', 'GET', '/todos?start=0&cursor=abc', {}],
    ['garbage cursor', 'GET', '/todos?cursor=not-a-cursor', {}],
    [
      'forged cursor',
      'GET',
      `/todos?cursor=${Buffer.from('1.aaaaaaaaaaaaaaaaaaaaaaaa').toString('base64url')}.AAAA`,
      {},
    ],
    ['operator in query', 'GET', '/todos?limit[$gt]=1', {}],
    ['unknown query parameter', 'GET', '/todos?sort=content', {}],
    ['finished=yes', 'GET', '/todos?finished=yes', {}],
    ['legacy start past its cap', 'GET', '/todo?start=1000001', {}],
    ['malformed id', 'GET', '/todos/not-an-id', {}],
    ['12-character id', 'GET', '/todos/hello-world!', {}],
  ];
  const badUpdates = (): BadRequest[] => [
    ['empty patch', 'PATCH', `/todos/${id()}`, json({})],
    ['string is_finished', 'PATCH', `/todos/${id()}`, json({ is_finished: 'true' })],
    ['blank content', 'PATCH', `/todos/${id()}`, json({ content: '' })],
    ['unknown field', 'PATCH', `/todos/${id()}`, json({ content: 'x', created_at: '2000-01-01' })],
    ['operator update', 'PATCH', `/todos/${id()}`, json({ $set: { content: 'x' } })],
    ['malformed id on patch', 'PATCH', '/todos/123', json({ content: 'x' })],
    ['malformed id on delete', 'DELETE', '/todos/123', {}],
  ];

  it.each([...badCreates, ...badReads])(
    'answers 400 to %s',
    async (_name, method, path, options) => {
      const before = await snapshot();
      expectError(await api.request(method, path, options), 400);
      expect(await snapshot()).toBe(before);
    },
  );

  it('answers 400 to bad updates and leaves the todo as it was', async () => {
    const before = await snapshot();
    for (const [name, method, path, options] of badUpdates()) {
      const response = await api.request(method, path, options);
      expect({ name, status: response.status }).toEqual({ name, status: 400 });
      expectError(response, 400);
    }
    expect(await snapshot()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  // A control character that is no whitespace (ESC, NEL) passed the old `\S`; and the
  // list shows a name as it is. The message names the name's rule: whatever else the body
  // lacks, it is the name that is refused.
  it.each([
    ['ESC', 'name\u001b[31m'],
    ['NEL', 'name\u0085'],
    ['a NEL alone', '\u0085'],
    ['a tab', 'tab\tname'],
    ['blanks only', ' \u00a0 '],
  ])('refuses a token name with %s', async (_what, name) => {
    const response = await api.request<{ message: string[] }>('POST', '/me/tokens', {
      json: { name, scopes: ['todos:read'] },
    });
    expectError(response, 400);
    expect(response.body.message).toContain(
      'name must not be blank nor contain control characters',
    );
  });

  it('answers 413 to a body over 64 KiB', async () => {
    const before = await snapshot();
    expectError(await api.request('POST', '/todos', json({ content: 'x'.repeat(65 * 1024) })), 413);
    expectError(
      await api.request('POST', '/todo', { form: { content: 'x'.repeat(100 * 1024) } }),
      413,
    );
    expect(await snapshot()).toBe(before);
  });

  it('answers 404 in the same shape for unknown routes, 405 for a known one with another method', async () => {
    expectError(await api.request('GET', '/nope'), 404);
    expectError(await api.request('PUT', '/nope'), 404);
    expectError(await api.request('PUT', '/todos'), 405);
  });
});
