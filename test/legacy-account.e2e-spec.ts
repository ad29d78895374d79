import { spawn } from 'node:child_process';
import { text } from 'node:stream/consumers';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createConnection, type Connection } from 'mongoose';
import { accountDeletionJobId } from '../src/auth/account-deletion-job.js';
import { QUEUES } from '../src/queues/queues.constants.js';
import type { LegacyTodoDto } from '../src/original/dto/legacy-todo.dto.js';
import type { TodoPageDto } from '../src/todos/dto/todo.dto.js';
import { databaseUri, expectError, isolatedStores, send } from './support/api.js';
import { logIn, makeLegacyAccount, PASSWORD } from './support/auth.js';
import { runEntrypoint } from './support/process.js';
import { spawnApi, type SpawnedApi } from './support/spawned-api.js';

const DATABASE = 'todo_e2e_legacy_account';
const EMAIL = 'cutover-owner@example.com';
const ENV = { LEGACY_OWNER: EMAIL };
const STORES = { ...isolatedStores(DATABASE), ...ENV };
const NEW_PASSWORD = 'a new one the operator chose';
const ORIGINAL = { content: 'the original wrote me', created_at: 1_790_000_000.5 };

const register = (url: string, email: string) =>
  send(url, 'POST', '/auth/register', { token: null, json: { email, password: PASSWORD } });

describe("the operator's legacy-account command (e2e, two API processes)", () => {
  const apis: SpawnedApi[] = [];
  let connection: Connection;
  let redis: Redis;
  let session: string;
  const users = () => connection.collection('users');
  const urls = () => apis.map((api) => api.url);

  beforeAll(async () => {
    // Made before either process looks LEGACY_OWNER up: neither remembers its absence.
    expect(await makeLegacyAccount(STORES)).toContain(`${EMAIL} created`);
    apis.push(...(await Promise.all([spawnApi(DATABASE, ENV), spawnApi(DATABASE, ENV)])));
    connection = await createConnection(databaseUri(DATABASE)).asPromise();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await connection
      .collection('todos')
      .insertOne({ ...ORIGINAL, is_finished: false, finished_at: null });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
    await connection.dropDatabase();
    await connection.close();
    redis.disconnect();
  });

  it('a login with its password works on each process, sees the ownerless todos, and the original routes act for it', async () => {
    session = await logIn(apis[0].url, EMAIL);
    for (const url of urls()) {
      const page = await send<TodoPageDto>(url, 'GET', '/todos', { token: session });
      expect(page.body.items.map((todo) => todo.content)).toEqual([ORIGINAL.content]);
      const tokenless = await send<LegacyTodoDto[]>(url, 'GET', '/todo', { token: null });
      expect(tokenless.body.map((todo) => todo.content)).toEqual([ORIGINAL.content]);
      expectError(await register(url, EMAIL), 409);
    }
  });

  it('run again with the same password, changes nothing: its session stays', async () => {
    expect(await makeLegacyAccount(STORES)).toContain('nothing changed');
    for (const url of urls()) {
      expect((await send(url, 'GET', '/me', { token: session })).status).toBe(200);
    }
  });

  it('with another password on stdin, resets it and ends its sessions on every process', async () => {
    const child = spawn(process.execPath, ['dist/legacy-account.js'], {
      env: { ...process.env, NODE_ENV: 'test', ...STORES, LEGACY_OWNER_PASSWORD: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(`${NEW_PASSWORD}\n`);
    const [out, err, code] = await Promise.all([
      text(child.stdout),
      text(child.stderr),
      new Promise((resolve) => child.on('exit', resolve)),
    ]);
    expect({ code, out, err }).toMatchObject({ code: 0 });
    expect(out).toContain(`${EMAIL} password reset, 1 sessions and tokens ended`);
    expect(out + err).not.toContain(NEW_PASSWORD);
    for (const url of urls()) expectError(await send(url, 'GET', '/me', { token: session }), 401);
    await expect(logIn(apis[1].url, EMAIL)).rejects.toThrow(/login answered 401/);
    session = await logIn(apis[1].url, EMAIL, NEW_PASSWORD);
  });

  it('DELETE /me by it is a 403 on each process: the account, its todos and session stay, and no deletion job is queued', async () => {
    const id = session.slice('tdo_s_'.length, 'tdo_s_'.length + 24);
    for (const url of urls()) {
      const refused = await send(url, 'DELETE', '/me', { token: session });
      expectError(refused, 403);
      expect(refused.body).toMatchObject({ message: expect.stringContaining('LEGACY_OWNER') });
    }
    expect(await users().countDocuments({ email_key: EMAIL })).toBe(1);
    expect(await connection.collection('todos').countDocuments()).toBe(1);
    expect((await send(apis[0].url, 'GET', '/me', { token: session })).status).toBe(200);
    // The accounts queue holds no job at all: none was added for it.
    const queue = new Queue(QUEUES.accounts, { prefix: DATABASE, connection: redis });
    expect(await queue.getJob(accountDeletionJobId(id))).toBeUndefined();
    expect(Object.values(await queue.getJobCounts()).every((count) => count === 0)).toBe(true);
    await queue.close();
  });

  it('deleted some other way, its email still cannot be registered, and the command makes it again', async () => {
    await users().deleteOne({ email_key: EMAIL });
    for (const url of urls()) expectError(await register(url, EMAIL), 409);
    expect(await users().countDocuments({ email_key: EMAIL })).toBe(0);
    expect(await makeLegacyAccount(STORES, NEW_PASSWORD)).toContain(`${EMAIL} created`);
    const made = await logIn(apis[0].url, EMAIL, NEW_PASSWORD);
    // A process may still remember the old account's id (for 30 s): DELETE /me goes by email.
    for (const url of urls()) expectError(await send(url, 'DELETE', '/me', { token: made }), 403);
    expect((await send(apis[1].url, 'GET', '/me', { token: made })).status).toBe(200);
    expect(await users().countDocuments({ email_key: EMAIL })).toBe(1);
  });

  it.each([
    [
      'without LEGACY_OWNER',
      { LEGACY_OWNER: '', LEGACY_OWNER_PASSWORD: NEW_PASSWORD },
      'LEGACY_OWNER is not set',
    ],
    ['without a password', { LEGACY_OWNER_PASSWORD: '' }, 'no password'],
    [
      'with a short password',
      { LEGACY_OWNER_PASSWORD: 'tiny-pass' },
      'must have 10 to 128 characters',
    ],
  ])(
    'refuses to run %s, naming the rule and never the value, and changes nothing',
    async (_, env, rule) => {
      const before = await users().find().toArray();
      const command = runEntrypoint('legacy-account', { ...STORES, ...env });
      expect(await command.exited).toEqual({ code: 1, signal: null });
      expect(command.stderr()).toContain(rule);
      expect(command.output()).not.toContain('tiny-pass');
      expect(command.output()).not.toContain(NEW_PASSWORD);
      expect(await users().find().toArray()).toEqual(before);
    },
  );
});
