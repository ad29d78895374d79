import type { ExportAcceptedDto } from '../src/exports/dto/create-export.dto.js';
import { REDIS_CLIENT, type RedisClient } from '../src/redis/redis.module.js';
import type { TodoDto, TodoPageDto } from '../src/todos/dto/todo.dto.js';
import {
  expectError,
  isolatedStores,
  send,
  startApi,
  useApi,
  type TestApi,
} from './support/api.js';
import { signIn, signInAsLegacyOwner } from './support/auth.js';

const DATABASE = 'todo_e2e_owners';

describe('per-owner data (e2e)', () => {
  const api = useApi(DATABASE, { resetEach: true });
  let other: TestApi;
  let a: string;
  let b: string;

  beforeAll(async () => {
    other = await startApi(DATABASE);
    [a, b] = await Promise.all([signIn(api.url), signIn(api.url)]);
  });
  afterAll(async () => {
    await other.app.close();
  });

  const create = async (token: string, content: string) => {
    const created = await api.request<TodoDto>('POST', '/todos', { token, json: { content } });
    expect(created.status).toBe(201);
    return created.body;
  };

  it("answers 404 for another owner's todo on GET, PATCH and DELETE, and leaves it unchanged", async () => {
    const todo = await create(a, "a's");
    const path = `/todos/${todo.id}`;
    expectError(await api.request('GET', path, { token: b }), 404);
    expectError(
      await api.request('PATCH', path, { token: b, json: { content: 'b was here' } }),
      404,
    );
    expectError(
      await api.request('PATCH', path, {
        token: b,
        json: { is_finished: true },
        headers: { 'if-match': '*' },
      }),
      404,
    );
    expectError(await api.request('DELETE', path, { token: b }), 404);
    expectError(await api.request('DELETE', path, { token: b, headers: { 'if-match': '*' } }), 404);
    const still = await api.request<TodoDto>('GET', path, { token: a });
    expect(still.status).toBe(200);
    expect(still.body).toEqual(todo);
  });

  it("never shows B the todos of A in lists, offsets, cursors or the original's route", async () => {
    for (let i = 0; i < 5; i++) await create(a, `a ${i}`);
    await create(b, 'b 0');
    const own = async (token: string, path: string) =>
      (await api.request<TodoPageDto>('GET', path, { token })).body.items.map((t) => t.content);
    expect(await own(b, '/todos')).toEqual(['b 0']);
    expect(await own(b, '/todos?start=1')).toEqual([]);
    expect(await own(a, '/todos?limit=2')).toEqual(['a 4', 'a 3']);
    const original = await api.request<{ content: string }[]>('GET', '/todo', { token: b });
    expect(original.body.map((t) => t.content)).toEqual(['b 0']);

    // A cursor issued to A is refused for B.
    const page = await api.request<TodoPageDto>('GET', '/todos?limit=2', { token: a });
    const cursor = encodeURIComponent(page.body.next_cursor ?? '');
    expect((await api.request('GET', `/todos?cursor=${cursor}`, { token: a })).status).toBe(200);
    expectError(await api.request('GET', `/todos?cursor=${cursor}`, { token: b }), 400);
  });

  it('refuses a body or query naming an owner', async () => {
    const owner = '0'.repeat(24);
    expectError(
      await api.request('POST', '/todos', { token: a, json: { content: 'x', owner_id: owner } }),
      400,
    );
    expectError(await api.request('GET', `/todos?owner_id=${owner}`, { token: a }), 400);
    expectError(
      await api.request('POST', '/todos/exports', {
        token: a,
        json: { format: 'json', owner_id: owner },
      }),
      400,
    );
  });

  it("shows B no export or job of A's", async () => {
    const accepted = await api.request<ExportAcceptedDto>('POST', '/todos/exports', {
      token: a,
      json: { format: 'csv' },
    });
    expect(accepted.status).toBe(202);
    const { job_id } = accepted.body;
    expect((await api.request('GET', `/jobs/exports/${job_id}`, { token: a })).status).toBe(200);
    expectError(await api.request('GET', `/jobs/exports/${job_id}`, { token: b }), 404);
    // No worker runs here: A's download is a 409 (not finished); B's a 404, as for no export.
    expectError(await api.request('GET', `/todos/exports/${job_id}/download`, { token: a }), 409);
    expectError(await api.request('GET', `/todos/exports/${job_id}/download`, { token: b }), 404);
  });

  it('gives two owners reading one URL each their own page, missed then hit', async () => {
    await create(a, 'only a');
    await create(b, 'only b');
    for (const [token, content] of [
      [a, 'only a'],
      [b, 'only b'],
    ]) {
      const first = await api.request<TodoPageDto>('GET', '/todos', { token });
      const second = await api.request<TodoPageDto>('GET', '/todos', { token });
      expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual([
        'MISS',
        'HIT',
      ]);
      expect(second.body.items.map((t) => t.content)).toEqual([content]);
      expect(second.headers.get('cache-control')).toBe('private, no-cache');
      expect(second.headers.get('vary')).toMatch(/authorization/i);
    }
  });

  it("keeps B's cached page a hit after A writes; A's next read on the other process shows it (carried)", async () => {
    await create(a, 'a before');
    await create(b, 'b before');
    for (const token of [a, b]) {
      await send(api.url, 'GET', '/todos', { token });
      await send(other.url, 'GET', '/todos', { token });
    }
    const written = await create(a, 'a after');
    const bAgain = await send<TodoPageDto>(other.url, 'GET', '/todos', { token: b });
    expect(bAgain.headers.get('x-cache')).toBe('HIT');
    const aAgain = await send<TodoPageDto>(other.url, 'GET', '/todos', { token: a });
    // A's create carried A's first page forward (FirstPageCarry): a hit that shows the write.
    expect(aAgain.headers.get('x-cache')).toBe('HIT');
    expect(aAgain.body.items[0]).toEqual(written);
  });

  it('writes no cache key and no todo for a request without a token, and never sends it a cached body', async () => {
    await create(a, 'cached for a');
    await api.request('GET', '/todos', { token: a });
    expect((await api.request('GET', '/todos', { token: a })).headers.get('x-cache')).toBe('HIT');
    const redis = api.app.get<RedisClient>(REDIS_CLIENT);
    const keys = async () => (await redis.keys(`${DATABASE}:*`)).sort();
    const before = await keys();
    const count = await api.todos.countDocuments();
    for (const [method, path] of [
      ['GET', '/todos'],
      ['GET', '/todo'],
      ['POST', '/todos'],
      ['POST', '/todo'],
    ]) {
      const body = method === 'GET' ? {} : { form: { content: 'anonymous' } };
      const response = await api.request(method, path, { token: null, ...body });
      expectError(response, 401);
      expect(response.headers.get('x-cache')).toBeNull();
      expect(response.text).not.toContain('cached for a');
    }
    expect(await keys()).toEqual(before);
    expect(await api.todos.countDocuments()).toBe(count);
  });
});

describe('LEGACY_OWNER (e2e)', () => {
  const env = { LEGACY_OWNER: 'legacy@example.com' };
  const api = useApi('todo_e2e_legacy_owner', { env });

  it("acts for LEGACY_OWNER on the original's routes without a token, and shows it the ownerless todos", async () => {
    // Before the operator makes the account, a tokenless call is refused like any other.
    expectError(await api.request('GET', '/todo', { token: null }), 401);
    // The API refuses to register the email: the operator's command makes the account.
    const legacy = await signInAsLegacyOwner(api.url, {
      ...isolatedStores('todo_e2e_legacy_owner'),
      ...env,
    });
    await api.todos.collection.insertOne({
      content: 'the original wrote me',
      created_at: 1_790_000_000.5,
      is_finished: false,
      finished_at: null,
    });
    await api.cache.invalidate();
    // The account's id is remembered for a while: wait until the new account is seen.
    let tokenless: { content: string }[] = [];
    for (let i = 0; i < 80 && tokenless.length === 0; i++) {
      const answer = await api.request<{ content: string }[]>('GET', '/todo', { token: null });
      if (answer.status === 200) tokenless = answer.body;
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(tokenless.map((t) => t.content)).toEqual(['the original wrote me']);
    expect(
      (await api.request('POST', '/todo', { token: null, form: { content: 'by an old client' } }))
        .status,
    ).toBe(200);
    const page = await api.request<TodoPageDto>('GET', '/todos', { token: legacy });
    expect(page.body.items.map((t) => t.content)).toEqual([
      'by an old client',
      'the original wrote me',
    ]);
    // Everyone else sees none of it; /todos still needs a token.
    const someone = await signIn(api.url);
    expect(
      (await api.request<TodoPageDto>('GET', '/todos', { token: someone })).body.items,
    ).toEqual([]);
    expectError(await api.request('GET', '/todos', { token: null }), 401);
  }, 60_000);
});
