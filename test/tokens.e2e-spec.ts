import { createHash } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Types } from 'mongoose';
import type { CreatedTokenDto, SessionDto, TokenDto } from '../src/auth/dto/me.dto.js';
import type { ExportAcceptedDto } from '../src/exports/dto/create-export.dto.js';
import type { JobViewDto } from '../src/job-status/job-view.dto.js';
import { REDIS_CLIENT, type RedisClient } from '../src/redis/redis.module.js';
import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { expectError, send, startApi, useApi, type TestApi } from './support/api.js';
import { freshEmail, PASSWORD, signIn } from './support/auth.js';
import { until } from './support/wait.js';
import { startWorker, stopWorker, type TestWorker } from './support/worker.js';

const DATABASE = 'todo_e2e_tokens';
const JSON_BODY = { 'content-type': 'application/json' };

describe('personal access tokens, scopes and the account (e2e, two API processes and a worker)', () => {
  const api = useApi(DATABASE, {
    env: { LOGIN_MAX_FAILURES: '50', LOGIN_WINDOW_MINUTES: '0.05' },
  });
  let other: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    other = await startApi(DATABASE);
    worker = await startWorker(DATABASE);
  }, 60_000);
  afterAll(async () => {
    await stopWorker(worker);
    await other.app.close();
  });

  const ownerOf = (token: string) => token.replace(/^tdo_(s|pat)_/, '').slice(0, 24);

  async function newToken(session: string, scopes: string[], name = 'a script') {
    const made = await api.request<CreatedTokenDto>('POST', '/me/tokens', {
      token: session,
      json: { name, scopes, password: PASSWORD },
    });
    expect(made.status).toBe(201);
    return made.body;
  }

  const create = async (token: string, content: string, extra: object = {}) => {
    const created = await api.request<TodoDto>('POST', '/todos', {
      token,
      json: { content, ...extra },
    });
    expect(created.status).toBe(201);
    return created.body;
  };

  /** Polls the export job, with a token that may read it, until it settles. */
  const settle = (token: string, id: string) =>
    until(
      async () => (await api.request<JobViewDto>('GET', `/jobs/exports/${id}`, { token })).body,
      (job) => job.state === 'completed' || job.state === 'failed',
      { timeoutMs: 30_000, intervalMs: 50, message: `export ${id} settling` },
    );

  it('makes a token whose secret is shown once; the list shows it without one', async () => {
    const session = await signIn(api.url);
    const made = await newToken(session, ['todos:read', 'exports'], 'nightly export');
    expect(made).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as unknown,
      name: 'nightly export',
      scopes: ['todos:read', 'exports'],
      created_at: expect.any(String) as unknown,
      last_used_at: null,
      expires_at: expect.any(String) as unknown,
      token: expect.stringMatching(/^tdo_pat_[0-9a-f]{24}[A-Za-z0-9_-]{43}$/) as unknown,
    });
    expect(ownerOf(made.token)).toBe(ownerOf(session));
    const days = (Date.parse(made.expires_at) - Date.parse(made.created_at)) / 86_400_000;
    expect(days).toBe(90);

    const oneDay = await api.request<CreatedTokenDto>('POST', '/me/tokens', {
      token: session,
      json: { name: 'short', scopes: ['todos:read'], expires_in_days: 1, password: PASSWORD },
    });
    expect(oneDay.status).toBe(201);
    expect(Date.parse(oneDay.body.expires_at) - Date.parse(oneDay.body.created_at)).toBe(
      86_400_000,
    );

    const listed = await api.request<TokenDto[]>('GET', '/me/tokens', { token: session });
    expect(listed.status).toBe(200);
    const secret = made.token;
    expect(listed.body).toEqual([withoutToken(made), withoutToken(oneDay.body)]);
    expect(listed.text).not.toContain(secret.slice(32));
    expect(listed.text).not.toContain(createHash('sha256').update(secret).digest('base64url'));
    expect(listed.text).not.toMatch(/token_hash|"token"/);
  });

  it('refuses a bad token request with 400 and makes nothing', async () => {
    const session = await signIn(api.url);
    for (const json of [
      {},
      { name: 'x', scopes: ['todos:read'] },
      { name: 'x', scopes: ['todos:read'], password: '' },
      { name: 'x', scopes: ['todos:read'], password: 'x'.repeat(129) },
      // A stolen session alone cannot mint a token: the password is checked.
      { name: 'x', scopes: ['todos:read'], password: 'not the password' },
      { name: 'x', password: PASSWORD },
      { name: '', scopes: ['todos:read'], password: PASSWORD },
      { name: '   ', scopes: ['todos:read'], password: PASSWORD },
      { name: 'line\nbreak', scopes: ['todos:read'], password: PASSWORD },
      { name: 'x'.repeat(101), scopes: ['todos:read'], password: PASSWORD },
      { name: 'x', scopes: [], password: PASSWORD },
      { name: 'x', scopes: ['admin'], password: PASSWORD },
      { name: 'x', scopes: ['todos:read', 'todos:read'], password: PASSWORD },
      { name: 'x', scopes: 'todos:read', password: PASSWORD },
      { name: 'x', scopes: ['todos:read'], expires_in_days: 0, password: PASSWORD },
      { name: 'x', scopes: ['todos:read'], expires_in_days: 366, password: PASSWORD },
      { name: 'x', scopes: ['todos:read'], expires_in_days: 1.5, password: PASSWORD },
      { name: 'x', scopes: ['todos:read'], expires_in_days: '5', password: PASSWORD },
      { name: 'x', scopes: ['todos:read'], expires_in_days: null, password: PASSWORD },
      { name: 'x', scopes: ['todos:read'], owner_id: ownerOf(session), password: PASSWORD },
    ]) {
      expectError(await api.request('POST', '/me/tokens', { token: session, json }), 400);
    }
    expect((await api.request('GET', '/me/tokens', { token: session })).body).toEqual([]);
  });

  it('a todos:read token reads, and gets 403 naming the scope on every write, which changes nothing', async () => {
    const session = await signIn(api.url);
    const todo = await create(session, 'read me');
    const { token } = await newToken(session, ['todos:read']);
    const path = `/todos/${todo.id}`;
    for (const url of [api.url, other.url]) {
      expect((await send(url, 'GET', '/todos', { token })).status).toBe(200);
      expect((await send<TodoDto>(url, 'GET', path, { token })).body).toEqual(todo);
      expect((await send(url, 'GET', '/todo', { token })).status).toBe(200);
    }
    const writes: [string, string, object][] = [
      ['POST', '/todos', { json: { content: 'no' } }],
      ['PATCH', path, { json: { is_finished: true } }],
      ['DELETE', path, {}],
      ['POST', '/todo', { form: { content: 'no' } }],
    ];
    for (const [method, target, body] of writes) {
      const refused = await send(other.url, method, target, { token, ...body });
      expectError(refused, 403);
      expect(refused.body).toMatchObject({ message: 'this token lacks the scope todos:write' });
      expect(refused.headers.get('www-authenticate')).toBe(
        'Bearer error="insufficient_scope", scope="todos:write"',
      );
      expect(refused.headers.get('cache-control')).toBe('no-store');
    }
    expect(await api.todos.countDocuments({ owner_id: new Types.ObjectId(ownerOf(session)) })).toBe(
      1,
    );
    expect((await api.request<TodoDto>('GET', path, { token: session })).body).toEqual(todo);
  });

  it('a token without todos:read is refused a cached page, never served it', async () => {
    const session = await signIn(api.url);
    await create(session, 'cached');
    await api.request('GET', '/todos', { token: session });
    expect((await api.request('GET', '/todos', { token: session })).headers.get('x-cache')).toBe(
      'HIT',
    );
    const { token } = await newToken(session, ['exports']);
    for (let i = 0; i < 2; i++) {
      const refused = await api.request('GET', '/todos', { token });
      expectError(refused, 403);
      expect(refused.headers.get('x-cache')).toBeNull();
      expect(refused.text).not.toContain('cached');
    }
  });

  it('a token without exports cannot start, read or download an export; one with it can', async () => {
    const session = await signIn(api.url);
    await create(session, 'exported');
    const started = await api.request<ExportAcceptedDto>('POST', '/todos/exports', {
      token: session,
      json: { format: 'csv' },
    });
    expect(started.status).toBe(202);
    const id = started.body.job_id;
    expect(await settle(session, id)).toMatchObject({ state: 'completed' });

    const { token: noExports } = await newToken(session, ['todos:read', 'todos:write']);
    const jobsBefore = await exportJobCount();
    for (const [method, path] of [
      ['POST', '/todos/exports'],
      ['GET', `/todos/exports/${id}/download`],
      ['GET', `/jobs/exports/${id}`],
    ]) {
      const refused = await send(other.url, method, path, {
        token: noExports,
        ...(method === 'POST' ? { json: { format: 'json' } } : {}),
      });
      expectError(refused, 403);
      expect(refused.body).toMatchObject({ message: 'this token lacks the scope exports' });
    }
    expect(await exportJobCount()).toBe(jobsBefore);

    const { token: exporter } = await newToken(session, ['exports']);
    const file = await send(other.url, 'GET', `/todos/exports/${id}/download`, { token: exporter });
    expect(file.status).toBe(200);
    expect(file.text).toContain('exported');
    expect((await send(other.url, 'GET', `/jobs/exports/${id}`, { token: exporter })).status).toBe(
      200,
    );
    // A reminder job's status needs todos:read, which this token lacks.
    expectError(await send(other.url, 'GET', `/jobs/reminders/${id}`, { token: exporter }), 403);
  });

  it('the account routes, logout and DELETE /me take sessions only: a token gets 403 and changes nothing', async () => {
    const email = freshEmail();
    const session = await signIn(api.url, email);
    const { token, id } = await newToken(session, ['todos:read', 'todos:write', 'exports']);
    const some = new Types.ObjectId().toHexString();
    for (const [method, path, json] of [
      ['GET', '/me', undefined],
      ['DELETE', '/me', undefined],
      ['GET', '/me/sessions', undefined],
      ['DELETE', `/me/sessions/${some}`, undefined],
      ['POST', '/me/password', { current_password: PASSWORD, new_password: 'stolen and changed' }],
      ['POST', '/me/tokens', { name: 'minted', scopes: ['todos:read'], password: PASSWORD }],
      ['GET', '/me/tokens', undefined],
      ['DELETE', `/me/tokens/${id}`, undefined],
      ['POST', '/auth/logout', undefined],
    ] as const) {
      const refused = await send(other.url, method, path, { token, json });
      expectError(refused, 403);
      expect(refused.body).toMatchObject({
        message:
          'this route takes a session token (from POST /auth/login), not a personal access token',
      });
    }
    // Nothing happened: the token, the account and its password are as they were.
    expect((await send(other.url, 'GET', '/todos', { token })).status).toBe(200);
    const tokens = await api.request<TokenDto[]>('GET', '/me/tokens', { token: session });
    expect(tokens.body.map((listed) => listed.name)).toEqual(['a script']);
    expect(await signIn(api.url, email)).toMatch(/^tdo_s_/);
  });

  it('a deleted token and an ended session are refused by the other process on the very next request', async () => {
    const email = freshEmail();
    const first = await signIn(api.url, email);
    const second = await signIn(api.url, email);
    const { token, id } = await newToken(first, ['todos:read']);
    // Both credentials are in the other process's path (and Redis) before they end.
    for (const credential of [token, second]) {
      expect((await send(other.url, 'GET', '/todos', { token: credential })).status).toBe(200);
    }

    expect((await api.request('DELETE', `/me/tokens/${id}`, { token: first })).status).toBe(204);
    expectError(await send(other.url, 'GET', '/todos', { token }), 401);
    // Again: the same answer, as the retry of a 503 must get it (the end is kept for a day).
    expect((await api.request('DELETE', `/me/tokens/${id}`, { token: first })).status).toBe(204);
    expectError(await send(other.url, 'GET', '/todos', { token }), 401);

    const sessions = await api.request<SessionDto[]>('GET', '/me/sessions', { token: first });
    expect(sessions.status).toBe(200);
    expect(sessions.body.map((session) => session.current)).toEqual([true, false]);
    expect(sessions.text).not.toContain(second.slice(30));
    const ended = sessions.body[1];
    expect(ended).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as unknown,
      created_at: expect.any(String) as unknown,
      last_used_at: expect.any(String) as unknown,
      expires_at: expect.any(String) as unknown,
      current: false,
    });
    const path = `/me/sessions/${ended.id}`;
    expect((await api.request('DELETE', path, { token: first })).status).toBe(204);
    expectError(await send(other.url, 'GET', '/todos', { token: second }), 401);
    expect((await send(other.url, 'GET', '/todos', { token: first })).status).toBe(200);
    const left = await api.request<SessionDto[]>('GET', '/me/sessions', { token: first });
    expect(left.body.map((session) => session.current)).toEqual([true]);
  });

  it("answers 404 for another account's session or token id, and ends neither", async () => {
    const a = await signIn(api.url);
    const b = await signIn(api.url);
    const aToken = await newToken(a, ['todos:read']);
    const [aSession] = (await api.request<SessionDto[]>('GET', '/me/sessions', { token: a })).body;
    expectError(await api.request('DELETE', `/me/tokens/${aToken.id}`, { token: b }), 404);
    expectError(await api.request('DELETE', `/me/sessions/${aSession.id}`, { token: b }), 404);
    // Ids of the other kind are no match either.
    expectError(await api.request('DELETE', `/me/sessions/${aToken.id}`, { token: a }), 404);
    expectError(await api.request('DELETE', `/me/tokens/${aSession.id}`, { token: a }), 404);
    expectError(await api.request('DELETE', '/me/tokens/not-an-id', { token: a }), 400);
    expect((await send(other.url, 'GET', '/todos', { token: aToken.token })).status).toBe(200);
    expect((await send(other.url, 'GET', '/todos', { token: a })).status).toBe(200);
  });

  it('changing the password ends every other session at once, keeps this one and the tokens', async () => {
    const email = freshEmail();
    const current = await signIn(api.url, email);
    const others = [await signIn(api.url, email), await signIn(api.url, email)];
    const { token } = await newToken(current, ['todos:read']);
    for (const credential of others) {
      expect((await send(other.url, 'GET', '/todos', { token: credential })).status).toBe(200);
    }
    const change = (json: object, session = current) =>
      api.request('POST', '/me/password', { token: session, json });

    const wrong = await change({
      current_password: 'not the password',
      new_password: 'x'.repeat(12),
    });
    expectError(wrong, 400);
    expect(wrong.body).toMatchObject({ message: 'current_password is wrong' });
    expectError(await change({ current_password: PASSWORD, new_password: 'short' }), 400);
    expectError(await change({ current_password: PASSWORD }), 400);
    for (const credential of others) {
      expect((await send(other.url, 'GET', '/todos', { token: credential })).status).toBe(200);
    }

    const next = 'a brand new horse battery';
    expect((await change({ current_password: PASSWORD, new_password: next })).status).toBe(204);
    for (const credential of others) {
      expectError(await send(other.url, 'GET', '/todos', { token: credential }), 401);
    }
    expect((await send(other.url, 'GET', '/todos', { token: current })).status).toBe(200);
    expect((await send(other.url, 'GET', '/todos', { token })).status).toBe(200);
    const sessions = await api.request<SessionDto[]>('GET', '/me/sessions', { token: current });
    expect(sessions.body.map((session) => session.current)).toEqual([true]);

    const login = (password: string) =>
      fetch(`${api.url}/auth/login`, {
        method: 'POST',
        headers: JSON_BODY,
        body: JSON.stringify({ email, password }),
      });
    expect((await login(PASSWORD)).status).toBe(401);
    expect((await login(next)).status).toBe(200);
  });

  it('DELETE /me takes a session signed in within 10 minutes: an older one is a 403 and deletes nothing', async () => {
    const email = freshEmail('stale');
    const stale = await signIn(api.url, email);
    const signedIn = new Date(Date.now() - 11 * 60_000);
    const hash = createHash('sha256').update(stale).digest('base64url');
    await api.todos.db
      .collection('sessions')
      .updateOne({ token_hash: hash }, { $set: { created_at: signedIn } });
    const refused = await api.request('DELETE', '/me', { token: stale });
    expectError(refused, 403);
    expect(refused.body).toMatchObject({
      message: expect.stringMatching(/sign in again/) as unknown,
    });
    expect((await api.request('GET', '/me', { token: stale })).status).toBe(200);
    // Signed in again: the new session may.
    const fresh = await signIn(api.url, email);
    expect((await api.request('DELETE', '/me', { token: fresh })).status).toBe(202);
  });

  it("DELETE /me: every credential refused at once; the worker deletes every document of the account, and nothing of another's", async () => {
    const email = freshEmail('leaving');
    const leaving = await signIn(api.url, email);
    const staying = await signIn(api.url);
    const seeded = new Map<string, string[]>();
    for (const session of [leaving, staying]) {
      const { token } = await newToken(session, ['todos:read', 'todos:write', 'exports']);
      await create(session, 'plain');
      await create(session, 'remind me', {
        remind_at: new Date(Date.now() + 3_600_000).toISOString(),
      });
      const keyed = await api.request('POST', '/todos', {
        token,
        json: { content: 'once' },
        headers: { 'idempotency-key': `key-${ownerOf(session)}` },
      });
      expect(keyed.status).toBe(201);
      const exported = await api.request<ExportAcceptedDto>('POST', '/todos/exports', {
        token,
        json: { format: 'json' },
      });
      expect(await settle(token, exported.body.job_id)).toMatchObject({ state: 'completed' });
      expect((await send(other.url, 'GET', '/todos', { token })).status).toBe(200);
      seeded.set(session, [token]);
    }
    const leavingId = ownerOf(leaving);
    const stayingId = ownerOf(staying);
    const leavingFiles = await exportFileIds(leavingId);
    const before = await holdings(leavingId);
    expect(before).toEqual({
      users: 1,
      sessions: 2,
      todos: 3,
      exportRecords: 1,
      exportFiles: 1,
      exportChunks: expect.any(Number) as unknown,
      exportJobs: 1,
      reminderJobs: 1,
      idempotencyKeys: 1,
    });
    expect(before.exportChunks).toBeGreaterThan(0);
    const othersBefore = await holdings(stayingId);
    expect(othersBefore).toEqual(before);

    const deleted = await api.request('DELETE', '/me', { token: leaving });
    expect(deleted.status).toBe(202);
    for (const credential of [leaving, ...(seeded.get(leaving) ?? [])]) {
      expectError(await send(other.url, 'GET', '/todos', { token: credential }), 401);
    }
    await until(
      () => holdings(leavingId, leavingFiles),
      (left) => Object.values(left).every((count) => count === 0),
      { timeoutMs: 30_000, intervalMs: 200, message: "the account's data deleted" },
    );
    expect(await holdings(stayingId)).toEqual(othersBefore);
    for (const credential of [staying, ...(seeded.get(staying) ?? [])]) {
      expect((await send(other.url, 'GET', '/todos', { token: credential })).status).toBe(200);
    }

    // The email is free again: a new account, with nothing of the old one.
    const again = await fetch(`${api.url}/auth/register`, {
      method: 'POST',
      headers: JSON_BODY,
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(again.status).toBe(201);
    const fresh = await signIn(api.url, email);
    expect(ownerOf(fresh)).not.toBe(leavingId);
    expect(
      (await api.request<{ items: unknown[] }>('GET', '/todos', { token: fresh })).body.items,
    ).toEqual([]);
    // The worker's log names no secret of either account.
    const logged = worker.process.output();
    for (const credential of [leaving, staying, ...[...seeded.values()].flat()]) {
      expect(logged).not.toContain(credential.slice(30));
    }
  }, 90_000);

  /** The ids of the account's export files in GridFS. */
  async function exportFileIds(ownerId: string): Promise<unknown[]> {
    const files = await api.todos.db
      .collection('exports.files')
      .find({ 'metadata.owner_id': ownerId })
      .toArray();
    return files.map((file) => file._id);
  }

  /**
   * How many documents, files, jobs and Redis keys the account holds, in every store; chunks
   * are counted for `fileIds` (the files it had), so chunks left without their file count too.
   */
  async function holdings(ownerId: string, fileIds?: unknown[]) {
    const db = api.todos.db;
    const owner = new Types.ObjectId(ownerId);
    const files = await exportFileIds(ownerId);
    const chunksOf = fileIds ?? files;
    const jobsOf = async (name: string) => {
      const queue = api.app.get<Queue>(getQueueToken(name), { strict: false });
      const jobs = await queue.getJobs(
        ['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized'],
        0,
        -1,
      );
      return jobs.filter((job) => (job.data as { owner_id?: string }).owner_id === ownerId).length;
    };
    const redis = api.app.get<RedisClient>(REDIS_CLIENT);
    return {
      users: await db.collection('users').countDocuments({ _id: owner }),
      sessions: await db.collection('sessions').countDocuments({ owner_id: owner }),
      todos: await api.todos.countDocuments({ owner_id: owner }),
      exportRecords: await db.collection('export_records').countDocuments({ owner_id: owner }),
      exportFiles: files.length,
      exportChunks:
        chunksOf.length === 0
          ? 0
          : await db.collection('exports.chunks').countDocuments({ files_id: { $in: chunksOf } }),
      exportJobs: await jobsOf('exports'),
      reminderJobs: await jobsOf('reminders'),
      idempotencyKeys: (await redis.keys(`${DATABASE}:idempotency:${ownerId} *`)).length,
    };
  }

  async function exportJobCount(): Promise<number> {
    const queue = api.app.get<Queue>(getQueueToken('exports'), { strict: false });
    const counts = await queue.getJobCounts();
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }
});

const withoutToken = ({ token: _token, ...listed }: Partial<CreatedTokenDto>) => listed;
