import { createHash, randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { getConnectionToken } from '@nestjs/mongoose';
import { Types, type Connection } from 'mongoose';
import { PasswordHasher } from '../src/auth/password-hasher.js';
import { REFUSED_TOKEN_MS } from '../src/auth/refused-tokens.js';
import { databaseUri, send, startApi, type TestApi } from './support/api.js';
import { freshEmail, PASSWORD, signIn } from './support/auth.js';

const DATABASE = 'todo_e2e_auth_abuse';

/**
 * Two API processes on one database and one throttle (the same key prefix), the MongoDB
 * driver's command events on (so a test can count the reads of `sessions`), and X-Forwarded-For
 * trusted from the loopback, so one test client can sign in "from" several addresses.
 */
function useTwoApis(env: Record<string, string>): [TestApi, TestApi] {
  const apis: TestApi[] = [];
  const shared = {
    MONGODB_URI: `${databaseUri(DATABASE)}?monitorCommands=true`,
    CACHE_KEY_PREFIX: `${DATABASE}_${randomBytes(4).toString('hex')}`,
    TRUST_PROXY: '127.0.0.1',
    ...env,
  };
  beforeAll(async () => {
    apis.push(await startApi(DATABASE, shared), await startApi(DATABASE, shared));
  }, 60_000);
  afterAll(async () => {
    await apis[1]?.app.close();
    await apis[0]?.close();
  });
  const at = (i: number) =>
    new Proxy({} as TestApi, { get: (_, name) => Reflect.get(apis[i], name) as unknown });
  return [at(0), at(1)];
}

const login = (url: string, email: string, password: string, from?: string) =>
  send(url, 'POST', '/auth/login', {
    json: { email, password },
    token: null,
    headers: from === undefined ? {} : { 'x-forwarded-for': from },
  });

const register = (url: string, email: string) =>
  send(url, 'POST', '/auth/register', { json: { email, password: PASSWORD }, token: null });

const statuses = (answers: { status: number }[]) =>
  answers.reduce<Record<number, number>>((counts, { status }) => {
    counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }, {});

describe('password checks under concurrency, and lockouts a stranger cannot cause (e2e)', () => {
  const [a, b] = useTwoApis({ LOGIN_MAX_FAILURES: '10', LOGIN_MAX_FAILURES_PER_EMAIL: '15' });

  it('50 concurrent wrong passwords for one email over two processes: 10 are checked, 40 are 429', async () => {
    const email = freshEmail('guessed');
    expect((await register(a.url, email)).status).toBe(201);
    const verifies = [a, b].map((api) => jest.spyOn(api.app.get(PasswordHasher), 'verify'));
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => login([a, b][i % 2].url, email, `wrong guess ${i}`)),
    );
    expect(statuses(answers)).toEqual({ 401: 10, 429: 40 });
    const checked = verifies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    expect(checked).toBe(10);
    verifies.forEach((spy) => spy.mockRestore());
    expect(
      Number(answers.find((answer) => answer.status === 429)?.headers.get('retry-after')),
    ).toBeGreaterThan(0);
  });

  it('a stolen session guessing the password (changing it, minting a token) concurrently: 10 are checked', async () => {
    const email = freshEmail('stolen');
    const session = await signIn(a.url, email);
    const verifies = [a, b].map((api) => jest.spyOn(api.app.get(PasswordHasher), 'verify'));
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 2
          ? send(b.url, 'POST', '/me/password', {
              token: session,
              json: { current_password: `a wrong guess ${i}`, new_password: 'taken over now' },
            })
          : send(a.url, 'POST', '/me/tokens', {
              token: session,
              json: { name: 'stolen', scopes: ['todos:read'], password: `a wrong guess ${i}` },
            }),
      ),
    );
    expect(statuses(answers)).toEqual({ 400: 10, 429: 20 });
    expect(verifies.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBe(10);
    verifies.forEach((spy) => spy.mockRestore());
    expect((await send(a.url, 'GET', '/me/tokens', { token: session })).body).toEqual([]);
  });

  it("a stranger's address is locked; the owner signs in from another address meanwhile", async () => {
    const email = freshEmail('owner');
    expect((await register(a.url, email)).status).toBe(201);
    const stranger = '198.51.100.7';
    for (let i = 0; i < 10; i++) {
      expect((await login(b.url, email, `a wrong guess ${i}`, stranger)).status).toBe(401);
    }
    expect((await login(a.url, email, 'one more wrong guess', stranger)).status).toBe(429);
    // Even the right password, from the stranger's address: the pair is locked.
    expect((await login(a.url, email, PASSWORD, stranger)).status).toBe(429);
    expect((await login(b.url, email, PASSWORD, '203.0.113.20')).status).toBe(200);
  });

  it('past the ceiling per email (distributed guessing), only addresses it signed in from get in', async () => {
    const email = freshEmail('targeted');
    expect((await register(a.url, email)).status).toBe(201);
    const home = '203.0.113.30';
    expect((await login(a.url, email, PASSWORD, home)).status).toBe(200);
    // 15 failures from 3 addresses: no address reaches its own lockout of 10.
    for (let i = 0; i < 15; i++) {
      expect(
        (await login(b.url, email, `a wrong guess ${i}`, `198.51.100.${40 + (i % 3)}`)).status,
      ).toBe(401);
    }
    expect((await login(a.url, email, 'a wrong guess', '198.51.100.50')).status).toBe(429);
    expect((await login(a.url, email, PASSWORD, '203.0.113.31')).status).toBe(429);
    expect((await login(b.url, email, PASSWORD, home)).status).toBe(200);
  });

  it('a forged token sent again and again costs one MongoDB read per process, not one per request', async () => {
    const reads = new Map<string, number>();
    const count = (event: { commandName: string; command: Record<string, unknown> }) => {
      if (event.commandName !== 'find' || event.command.find !== 'sessions') return;
      const filter = event.command.filter as { token_hash?: string } | undefined;
      const hash = filter?.token_hash ?? '';
      reads.set(hash, (reads.get(hash) ?? 0) + 1);
    };
    const clients = [a, b].map((api) => api.app.get<Connection>(getConnectionToken()).getClient());
    clients.forEach((client) => client.on('commandStarted', count));
    try {
      // A real owner's id, the right form, a secret nobody was given.
      const forged = `tdo_s_${a.ownerId}${randomBytes(32).toString('base64url')}`;
      const hash = createHash('sha256').update(forged).digest('base64url');
      const started = Date.now();
      for (let i = 0; i < 20; i++) {
        for (const api of [a, b]) {
          expect((await send(api.url, 'GET', '/todos', { token: forged })).status).toBe(401);
        }
      }
      // One read per process per REFUSED_TOKEN_MS at most (the loop may outlast one).
      const windows = Math.ceil((Date.now() - started) / REFUSED_TOKEN_MS);
      expect(reads.get(hash)).toBeGreaterThanOrEqual(2);
      expect(reads.get(hash)).toBeLessThanOrEqual(2 * windows);
      expect(2 * windows).toBeLessThan(40);
      // The owner's own token still works, and another forged one is read once more.
      expect((await a.request('GET', '/todos')).status).toBe(200);
      const another = `tdo_s_${a.ownerId}${randomBytes(32).toString('base64url')}`;
      expect((await send(a.url, 'GET', '/todos', { token: another })).status).toBe(401);
      const anotherHash = createHash('sha256').update(another).digest('base64url');
      expect(reads.get(anotherHash)).toBe(1);
    } finally {
      clients.forEach((client) => client.off('commandStarted', count));
    }
  });
});

describe('caps on sessions and tokens that hold under concurrency (e2e)', () => {
  const [a, b] = useTwoApis({ SESSIONS_MAX: '3', LOGIN_MAX_FAILURES: '1000' });

  it('past SESSIONS_MAX the oldest session ends, refused by every process from the next request', async () => {
    const email = freshEmail('many-sessions');
    const first = await signIn(a.url, email);
    for (const api of [a, b]) {
      expect((await send(api.url, 'GET', '/todos', { token: first })).status).toBe(200);
    }
    const later = [await signIn(b.url, email), await signIn(a.url, email)];
    expect((await send(b.url, 'GET', '/todos', { token: first })).status).toBe(200);
    const newest = await signIn(b.url, email);
    for (const api of [a, b]) {
      expect((await send(api.url, 'GET', '/todos', { token: first })).status).toBe(401);
    }
    const listed = await send<{ current: boolean }[]>(a.url, 'GET', '/me/sessions', {
      token: newest,
    });
    expect(listed.body.map((session) => session.current)).toEqual([false, false, true]);
    for (const token of later) {
      expect((await send(b.url, 'GET', '/todos', { token })).status).toBe(200);
    }
  });

  it('30 concurrent token creations 5 short of the cap over two processes: exactly the cap exists', async () => {
    const email = freshEmail('many-tokens');
    const session = await signIn(a.url, email);
    const ownerId = session.slice(6, 30);
    const sessions = a.todos.db.collection('sessions');
    const now = Date.now();
    await sessions.insertMany(
      Array.from({ length: 95 }, (_, i) => ({
        token_hash: `seeded-${ownerId}-${i}`,
        owner_id: new Types.ObjectId(ownerId),
        kind: 'token',
        name: `seeded ${i}`,
        scopes: ['todos:read'],
        created_at: new Date(now),
        expires_at: new Date(now + 86_400_000),
        last_used_at: new Date(now),
        ends_at: new Date(now + 86_400_000),
      })),
    );
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        send([a, b][i % 2].url, 'POST', '/me/tokens', {
          token: session,
          json: { name: `racing ${i}`, scopes: ['todos:read'], password: PASSWORD },
        }),
      ),
    );
    expect(statuses(answers)).toEqual({ 201: 5, 409: 25 });
    const listed = await send<unknown[]>(b.url, 'GET', '/me/tokens', { token: session });
    expect(listed.body).toHaveLength(100);
  }, 60_000);
});
