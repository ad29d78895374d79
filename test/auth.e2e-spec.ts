import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { AccountDto, SessionTokenDto } from '../src/auth/dto/account.dto.js';
import { expectError, send, startApi, useApi, type TestApi } from './support/api.js';
import { bearer, freshEmail, PASSWORD } from './support/auth.js';
import { spawnApi } from './support/spawned-api.js';
import { sleep, until } from './support/wait.js';
import { startWorker, stopWorker } from './support/worker.js';

const DATABASE = 'todo_e2e_auth';

const credentials = (email: string, password = PASSWORD) => ({ json: { email, password } });

describe('accounts and sessions (e2e)', () => {
  const api = useApi(DATABASE, {
    env: { LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_MINUTES: String(3 / 60) },
  });
  const anonymous = { token: null };

  async function login(email: string, password = PASSWORD) {
    return api.request<SessionTokenDto>('POST', '/auth/login', {
      ...credentials(email, password),
      ...anonymous,
    });
  }

  it('registers, logs in, names the account, and logs out', async () => {
    const email = freshEmail('Ada');
    const registered = await api.request<AccountDto>('POST', '/auth/register', {
      ...credentials(email),
      ...anonymous,
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as unknown,
      email,
      created_at: expect.any(String) as unknown,
    });

    const session = await login(email.toUpperCase()); // emails compare case-insensitively
    expect(session.status).toBe(200);
    const { token, token_type, expires_at } = session.body;
    expect(token).toMatch(/^tdo_s_[0-9a-f]{24}[A-Za-z0-9_-]{43}$/);
    expect(token.slice(6, 30)).toBe(registered.body.id);
    expect(token_type).toBe('Bearer');
    const days = (Date.parse(expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);

    const me = await api.request<AccountDto>('GET', '/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(registered.body);

    expect((await api.request('POST', '/auth/logout', { token })).status).toBe(204);
    const after = await api.request('GET', '/me', { token });
    expectError(after, 401);
    expect(after.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('refuses bad registrations with 400 and a taken email (any case) with 409', async () => {
    const email = freshEmail();
    expect(
      (await api.request('POST', '/auth/register', { ...credentials(email), ...anonymous })).status,
    ).toBe(201);
    const taken = await api.request('POST', '/auth/register', {
      ...credentials(email.toUpperCase()),
      ...anonymous,
    });
    expectError(taken, 409);
    for (const body of [
      { email: 'not an email', password: PASSWORD },
      { email: freshEmail(), password: 'short' },
      { email: freshEmail(), password: 'x'.repeat(129) },
      { email: freshEmail(), password: PASSWORD, owner_id: '0'.repeat(24) },
      { email: freshEmail() },
    ]) {
      expectError(await api.request('POST', '/auth/register', { json: body, ...anonymous }), 400);
    }
  });

  it('answers an unknown email and a wrong password with byte-identical bodies', async () => {
    const email = freshEmail();
    await api.request('POST', '/auth/register', { ...credentials(email), ...anonymous });
    const unknown = await login(freshEmail());
    const wrong = await login(email, 'not the password at all');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.text).toBe(unknown.text);
  });

  it('answers 429 with Retry-After after the failures allowed, then lets the right password in', async () => {
    const email = freshEmail();
    await api.request('POST', '/auth/register', { ...credentials(email), ...anonymous });
    for (let i = 0; i < 3; i++) expect((await login(email, 'wrong password!')).status).toBe(401);
    const blocked = await login(email);
    expectError(blocked, 429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    // Another email from the same address is not blocked by this one's failures.
    const other = freshEmail();
    await api.request('POST', '/auth/register', { ...credentials(other), ...anonymous });
    expect((await login(other)).status).toBe(200);

    await sleep(retryAfter * 1000 + 200);
    expect((await login(email)).status).toBe(200);
  });

  it('refuses routes without a token (WWW-Authenticate: Bearer) and with a made-up one', async () => {
    for (const [method, path] of [
      ['GET', '/todos'],
      ['POST', '/todos'],
      ['GET', `/todos/${'a'.repeat(24)}`],
      ['GET', '/todo'],
      ['POST', '/todos/exports'],
      ['GET', '/jobs/exports/1'],
      ['GET', '/todos/exports/1/download'],
      ['GET', '/me'],
      ['POST', '/auth/logout'],
    ]) {
      const body = method === 'GET' ? {} : { json: {} };
      const none = await api.request(method, path, { ...anonymous, ...body });
      expectError(none, 401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      const forged = `tdo_s_${'a'.repeat(24)}${'b'.repeat(43)}`;
      for (const token of [forged, 'garbage', api.token.slice(0, -1) + 'x']) {
        const refused = await api.request(method, path, { token, ...body });
        expectError(refused, 401);
        expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      }
    }
    // Public routes need none.
    // Credentials of another scheme: no bearer token failed, so no error code (RFC 6750 §3.1).
    const basic = await api.request('GET', '/todos', {
      token: null,
      headers: { authorization: 'Basic YTpi' },
    });
    expectError(basic, 401);
    expect(basic.headers.get('www-authenticate')).toBe('Bearer');
    // (nginx keeps /metrics to the internal network: through it, a 404.)
    const metrics = process.env.E2E_VIA_NGINX === '1' ? [] : ['/metrics'];
    for (const path of ['/health/live', '/health/ready', '/docs-json', ...metrics]) {
      // Readiness may be a 503 for a moment on a loaded machine (a store slower than its 800 ms
      // probe): asked again until it answers, which a route needing a token never would.
      const answer = await until(
        () => api.request('GET', path, anonymous),
        (response) => response.status !== 503,
        { timeoutMs: 10_000, intervalMs: 200, message: `${path} answering` },
      );
      expect(answer.status).toBe(200);
    }
  });

  it('refuses the token of a session that has ended (idle or past its end)', async () => {
    // A session as login makes it, but its end already passed.
    const owner = api.ownerId;
    const token = `tdo_s_${owner}${randomBytes(32).toString('base64url')}`;
    const past = new Date(Date.now() - 1_000);
    await api.todos.db.collection('sessions').insertOne({
      token_hash: createHash('sha256').update(token).digest('base64url'),
      owner_id: new Types.ObjectId(owner),
      created_at: new Date(Date.now() - 86_400_000),
      expires_at: new Date(Date.now() + 86_400_000),
      last_used_at: new Date(Date.now() - 86_400_000),
      ends_at: past,
    });
    const refused = await api.request('GET', '/todos', { token });
    expectError(refused, 401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('ends a session on every API process from the next request on', async () => {
    const other = await startApi(DATABASE, { LOGIN_MAX_FAILURES: '3' });
    try {
      const email = freshEmail();
      await api.request('POST', '/auth/register', { ...credentials(email), ...anonymous });
      const { token } = (await login(email)).body;
      // Both processes have the session in Redis (and in their hot path) before the logout.
      for (const url of [api.url, other.url]) {
        for (let i = 0; i < 3; i++)
          expect((await send(url, 'GET', '/todos', { token })).status).toBe(200);
      }
      expect((await send(other.url, 'POST', '/auth/logout', { token })).status).toBe(204);
      expect((await send(api.url, 'GET', '/todos', { token })).status).toBe(401);
      expect((await send(other.url, 'GET', '/todos', { token })).status).toBe(401);
      // Other sessions of the account live on.
      const again = (await login(email)).body.token;
      expect((await send(api.url, 'GET', '/todos', { token: again })).status).toBe(200);
    } finally {
      await closeKeepingDatabase(other);
    }
  });
});

describe('failed logins and registrations from one address (e2e)', () => {
  const api = useApi('todo_e2e_auth_address', {
    env: {
      // Counters live in Redis for their window: a prefix of this run's own, so that an
      // earlier run's registrations within the hour do not count.
      CACHE_KEY_PREFIX: `todo_e2e_auth_address_${Date.now()}`,
      LOGIN_MAX_FAILURES_PER_ADDRESS: '4',
      LOGIN_WINDOW_MINUTES: '1',
      // One registration is the default account's, made as the API starts.
      REGISTER_MAX_PER_HOUR: '3',
    },
  });

  it('answers 429 with Retry-After past REGISTER_MAX_PER_HOUR, creating no account', async () => {
    const register = (email: string) =>
      api.request('POST', '/auth/register', { ...credentials(email), token: null });
    expect((await register(freshEmail())).status).toBe(201);
    expect((await register(freshEmail())).status).toBe(201);
    const refused = freshEmail();
    const blocked = await register(refused);
    expectError(blocked, 429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(3_000);
    expect(await api.todos.db.collection('users').countDocuments({ email: refused })).toBe(0);
  });

  it('answers 429 past LOGIN_MAX_FAILURES_PER_ADDRESS, whatever the emails (password spraying)', async () => {
    const emails = [freshEmail(), freshEmail(), freshEmail(), freshEmail(), freshEmail()];
    for (const email of emails.slice(0, 4)) {
      const failed = await api.request('POST', '/auth/login', {
        json: { email, password: 'not the password' },
        token: null,
      });
      expect(failed.status).toBe(401);
    }
    const blocked = await api.request('POST', '/auth/login', {
      json: { email: emails[4], password: 'not the password' },
      token: null,
    });
    expectError(blocked, 429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('secrets in responses, logs and exports (e2e)', () => {
  it('never shows a password, its hash or a token', async () => {
    const spawned = await spawnApi('todo_e2e_auth_secrets', { LOG_LEVEL: 'debug' });
    try {
      const email = freshEmail();
      const password = 'a secret that must not leak';
      const bodies: string[] = [];
      const post = async (path: string, json: unknown, token?: string) => {
        const response = await fetch(`${spawned.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) },
          body: JSON.stringify(json),
        });
        bodies.push(await response.text());
        return response;
      };
      await post('/auth/register', { email, password });
      await post('/auth/login', { email, password: 'a wrong password!' });
      const login = await post('/auth/login', { email, password });
      const { token } = JSON.parse(bodies.at(-1) ?? '{}') as { token: string };
      expect(login.status).toBe(200);
      await post('/todos', { content: 'mine' }, token);
      const madeToken = await post(
        '/me/tokens',
        { name: 'ci', scopes: ['todos:read', 'exports'], password },
        token,
      );
      expect(madeToken.status).toBe(201);
      // Only the answer that makes a token shows its secret: it is left out of the bodies checked.
      const { token: pat, id: patId } = JSON.parse(bodies.pop() ?? '{}') as {
        token: string;
        id: string;
      };
      const exported = await post('/todos/exports', { format: 'csv' }, pat);
      const { job_id } = JSON.parse(bodies.at(-1) ?? '{}') as { job_id: string };
      expect(exported.status).toBe(202);
      const get = async (path: string, credential: string) => {
        const response = await fetch(`${spawned.url}${path}`, { headers: bearer(credential) });
        bodies.push(await response.text());
        return response;
      };
      for (const path of ['/me', '/todos', '/me/tokens', '/me/sessions']) await get(path, token);
      await get('/todos', pat);
      bodies.push(await (await fetch(`${spawned.url}/metrics`)).text());
      // The export runs in the worker: its file holds the todos, and no secret.
      const worker = await startWorker('todo_e2e_auth_secrets', { LOG_LEVEL: 'debug' });
      try {
        await until(
          () => get(`/todos/exports/${job_id}/download`, pat),
          (response) => response.status === 200,
          { timeoutMs: 20_000, intervalMs: 200, message: 'the export file' },
        );
        expect(bodies.at(-1)).toContain('mine');
        const deleted = await fetch(`${spawned.url}/me/tokens/${patId}`, {
          method: 'DELETE',
          headers: bearer(token),
        });
        expect(deleted.status).toBe(204);
        await post('/auth/logout', {}, token);
        await sleep(300);
      } finally {
        await stopWorker(worker);
      }

      const everything = [
        spawned.process.output(),
        worker.process.output(),
        ...bodies.slice(3),
      ].join('\n');
      expect(everything).not.toContain(password);
      for (const secret of [token, pat]) {
        expect(everything).not.toContain(secret);
        expect(everything).not.toContain(secret.slice(-43)); // the secret part alone
        expect(everything).not.toContain(createHash('sha256').update(secret).digest('base64url'));
      }
      expect(everything).not.toMatch(/\$argon2id\$/);
      expect(spawned.process.output()).not.toMatch(/authorization/i);
    } finally {
      await spawned.stop();
    }
  }, 60_000);
});

/** Closes a second in-process API on a database another one still uses. */
async function closeKeepingDatabase(api: TestApi): Promise<void> {
  await api.app.close();
}
