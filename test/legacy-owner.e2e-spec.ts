import type { LegacyTodoDto } from '../src/original/dto/legacy-todo.dto.js';
import type { TodoPageDto } from '../src/todos/dto/todo.dto.js';
import {
  expectError,
  isolatedStores,
  send,
  startApi,
  useApi,
  type TestApi,
} from './support/api.js';
import { freshEmail, logIn, makeLegacyAccount, PASSWORD } from './support/auth.js';

const DATABASE = 'todo_e2e_legacy_claim';
const EMAIL = 'cutover-owner@example.com';
const ENV = { LEGACY_OWNER: EMAIL };
const STORES = { ...isolatedStores(DATABASE), ...ENV };
const NEW_PASSWORD = 'a new one the operator chose';
const ORIGINAL = { content: 'the original wrote me', created_at: 1_790_000_000.5 };

const register = (url: string, email: string, password = PASSWORD) =>
  send<{ message: string }>(url, 'POST', '/auth/register', {
    token: null,
    json: { email, password },
  });

describe('nobody claims LEGACY_OWNER through the API (e2e, real MongoDB and Redis)', () => {
  const api = useApi(DATABASE, { env: ENV });
  /** An API without LEGACY_OWNER on the same database: the time before it was set. */
  let before: TestApi;
  const users = () => api.todos.db.collection('users');

  beforeAll(async () => {
    before = await startApi(DATABASE);
    await api.todos.collection.insertOne({ ...ORIGINAL, is_finished: false, finished_at: null });
  });
  afterAll(() => before.app.close());

  it("registering its email, in any case, is a taken email's 409, and makes no account", async () => {
    const taken = freshEmail();
    expect((await register(api.url, taken)).status).toBe(201);
    const takenAnswer = await register(api.url, taken);
    expectError(takenAnswer, 409);
    for (const email of [EMAIL, 'Cutover-Owner@EXAMPLE.com']) {
      const refused = await register(api.url, email);
      expect({ status: refused.status, body: refused.body }).toEqual({
        status: 409,
        body: takenAnswer.body,
      });
    }
    expect(await users().countDocuments({ email_key: EMAIL })).toBe(0);
    expectError(
      await send(api.url, 'POST', '/auth/login', { json: { email: EMAIL, password: PASSWORD } }),
      401,
    );
    // The ownerless todo stays out of reach: without a token, and for any account.
    expectError(await api.request('GET', '/todo', { token: null }), 401);
    expectError(await api.request('POST', '/todo', { token: null, form: { content: 'x' } }), 401);
    const someone = await logIn(api.url, taken);
    expect(
      (await api.request<TodoPageDto>('GET', '/todos', { token: someone })).body.items,
    ).toEqual([]);
    expect((await api.request<LegacyTodoDto[]>('GET', '/todo', { token: someone })).body).toEqual(
      [],
    );
    expect(await api.todos.countDocuments()).toBe(1);
  });

  it('an account registered with its email before LEGACY_OWNER was set holds nothing ownerless; the command takes it over', async () => {
    expect((await register(before.url, EMAIL)).status).toBe(201);
    const squatter = await logIn(before.url, EMAIL);
    for (const url of [api.url, before.url]) {
      const page = await send<TodoPageDto>(url, 'GET', '/todos', { token: squatter });
      expect({ status: page.status, items: page.body.items }).toEqual({ status: 200, items: [] });
    }
    expectError(await api.request('GET', '/todo', { token: null }), 401);

    const said = await makeLegacyAccount(STORES, NEW_PASSWORD);
    expect(said).toContain(`${EMAIL} taken over`);
    expect(said).not.toContain(NEW_PASSWORD);
    // Whoever registered it is out, on every process, and cannot log in again.
    for (const url of [api.url, before.url]) {
      expectError(await send(url, 'GET', '/me', { token: squatter }), 401);
    }
    await expect(logIn(api.url, EMAIL)).rejects.toThrow(/login answered 401/);
    const operator = await logIn(api.url, EMAIL, NEW_PASSWORD);
    expect((await api.request('GET', '/me', { token: operator })).status).toBe(200);
    expect(await users().findOne({ email_key: EMAIL })).toMatchObject({ legacy_owner: true });
  });
});
