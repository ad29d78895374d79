import { sessionEntryName } from '../src/auth/authenticator.js';
import { readToken } from '../src/auth/bearer-token.js';
import type { CreatedTokenDto, SessionDto } from '../src/auth/dto/me.dto.js';
import { SessionsRepository } from '../src/auth/sessions.repository.js';
import { sideKey } from '../src/cache/cache.constants.js';
import { send, startApi, type ApiResponse, type TestApi } from './support/api.js';
import { freshEmail, PASSWORD, signIn } from './support/auth.js';
import { PrivateRedis } from './support/redis-server.js';
import { until } from './support/wait.js';

const DATABASE = 'todo_e2e_credential_ends';

/**
 * An end (logout, a session or a token ended, a password change) is a 204 only once every
 * API process refuses the credential. With the Redis that tells them stopped, it is a 503
 * with Retry-After, the credential already refused from MongoDB, and the same request again
 * once Redis is back is the 204.
 */
describe('ends of credentials while Redis is away (e2e, two API processes, a Redis of its own)', () => {
  let redis: PrivateRedis;
  let a: TestApi;
  let b: TestApi;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    const env = { REDIS_URL: redis.url, LOGIN_MAX_FAILURES: '1000' };
    a = await startApi(DATABASE, env);
    b = await startApi(DATABASE, env);
  }, 60_000);
  afterAll(async () => {
    await b?.app.close();
    await a?.close();
    await redis?.kill();
  });

  const get = (api: TestApi, token: string) => send(api.url, 'GET', '/todos', { token });

  /** The 503 of an end not told: Retry-After, the Nest error shape. */
  const expectNotTold = (answer: ApiResponse<unknown>) => {
    expect(answer.status).toBe(503);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answer.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
  };

  /** Sends `request` until it is not a 503; every answer before is the 503 of an end not told. */
  const retried = (request: () => Promise<ApiResponse<unknown>>) =>
    until(
      async () => {
        const answer = await request();
        if (answer.status === 503) expectNotTold(answer);
        return answer;
      },
      (answer) => answer.status !== 503,
      { timeoutMs: 20_000, intervalMs: 200, message: 'the retry once Redis is back' },
    );

  it('logout, ending a session, deleting a token, changing the password: 503 while Redis is away, 204 on the retry', async () => {
    const email = freshEmail('ends');
    const current = await signIn(a.url, email);
    const [leaving, ended, others] = [
      await signIn(a.url, email),
      await signIn(a.url, email),
      await signIn(a.url, email),
    ];
    const pat = await send<CreatedTokenDto>(a.url, 'POST', '/me/tokens', {
      token: current,
      json: { name: 'ci', scopes: ['todos:read'], password: PASSWORD },
    });
    expect(pat.status).toBe(201);
    const sessions = await send<SessionDto[]>(a.url, 'GET', '/me/sessions', { token: current });
    const endedId = sessions.body[2].id;
    // Every credential is in Redis, read by both processes, before Redis goes.
    for (const api of [a, b]) {
      for (const token of [leaving, ended, others, pat.body.token]) {
        expect((await get(api, token)).status).toBe(200);
      }
    }

    await redis.kill();
    const newPassword = 'a password set while Redis was away';
    const change = () =>
      send(a.url, 'POST', '/me/password', {
        token: current,
        json: { current_password: PASSWORD, new_password: newPassword },
      });
    const requests = [
      () => send(a.url, 'POST', '/auth/logout', { token: leaving }),
      () => send(b.url, 'DELETE', `/me/sessions/${endedId}`, { token: current }),
      () => send(a.url, 'DELETE', `/me/tokens/${pat.body.id}`, { token: current }),
      change,
    ];
    for (const request of requests) expectNotTold(await request());
    // Ended in MongoDB already: refused by both processes, which read MongoDB now.
    for (const api of [a, b]) {
      for (const token of [leaving, ended, others, pat.body.token]) {
        expect((await get(api, token)).status).toBe(401);
      }
      expect((await get(api, current)).status).toBe(200);
    }
    // The password did not change: the old one still signs in.
    const old = await send(b.url, 'POST', '/auth/login', {
      json: { email, password: PASSWORD },
      token: null,
    });
    expect(old.status).toBe(200);

    await redis.restart();
    for (const request of requests) expect((await retried(request)).status).toBe(204);
    for (const api of [a, b]) {
      for (const token of [leaving, ended, others, pat.body.token]) {
        expect((await get(api, token)).status).toBe(401);
      }
    }
    // Every end told; a logout again answers as the first did, and the token stays refused.
    const untold = await a.todos.db
      .collection('sessions')
      .countDocuments({ ended_at: { $exists: true }, told_at: { $exists: false } });
    expect(untold).toBe(0);
    expect((await send(b.url, 'POST', '/auth/logout', { token: leaving })).status).toBe(204);
    expect((await get(a, leaving)).status).toBe(401);
    const signedIn = await send(a.url, 'POST', '/auth/login', {
      json: { email, password: newPassword },
      token: null,
    });
    expect(signedIn.status).toBe(200);
  }, 90_000);

  it('a use read before a logout never brings the ended session back, even once its Redis mark is gone', async () => {
    const token = await signIn(a.url);
    expect((await get(a, token)).status).toBe(200);
    const hash = readToken(token)!.hash;
    // A use recorded long ago, so the next request's touch would write (as one in flight
    // when the logout lands does).
    const sessions = a.todos.db.collection('sessions');
    const longAgo = new Date(Date.now() - 3_600_000);
    await sessions.updateOne({ token_hash: hash }, { $set: { last_used_at: longAgo } });
    expect((await send(b.url, 'POST', '/auth/logout', { token })).status).toBe(204);

    const repository = a.app.get(SessionsRepository);
    const now = new Date();
    const later = new Date(now.getTime() + 86_400_000);
    expect(await repository.touch(hash, now, later, new Date(now.getTime() - 60_000))).toBe(false);
    expect(await repository.findLive(hash)).toBeNull();
    // The block the logout left lapses (or is evicted): both processes ask MongoDB, and refuse.
    const client = await redis.client();
    try {
      expect(await client.del(sideKey(DATABASE, sessionEntryName(hash)))).toBe(1);
    } finally {
      await client.close();
    }
    for (const api of [a, b]) expect((await get(api, token)).status).toBe(401);

    // The maintenance job keeps an end a day, so a retry finds it, then deletes it.
    await repository.removeEnded();
    expect(await sessions.countDocuments({ token_hash: hash })).toBe(1);
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    await sessions.updateOne({ token_hash: hash }, { $set: { ended_at: twoDaysAgo } });
    expect(await repository.removeEnded()).toBeGreaterThanOrEqual(1);
    expect(await sessions.countDocuments({ token_hash: hash })).toBe(0);
  });
});
