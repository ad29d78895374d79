import { randomBytes } from 'node:crypto';
import { sessionEntryName } from '../src/auth/authenticator.js';
import { readToken } from '../src/auth/bearer-token.js';
import { epochKey, generationKey, sideKey, viewKey } from '../src/cache/cache.constants.js';
import { send } from './support/api.js';
import { signIn } from './support/auth.js';
import { PrivateRedis } from './support/redis-server.js';
import { spawnApi, type SpawnedApi } from './support/spawned-api.js';

const DATABASE = 'todo_e2e_cache_eviction';

interface TodoBody {
  id: string;
  content: string;
}

/**
 * The cache on a Redis of its own that evicts (allkeys-lru), as compose and the manifests run
 * it, behind two API processes. Whatever it loses — a view, an owner's generation, the
 * epoch, a credential's entry or its revocation mark — must mean "ask MongoDB": never an older
 * view, never a revoked token let in. A DEL of the key, named by the cache's own key
 * functions, stands for its eviction.
 */
describe('cache keys lost to eviction (e2e, two API processes)', () => {
  let cacheRedis: PrivateRedis;
  let redis: Awaited<ReturnType<PrivateRedis['client']>>;
  let apis: SpawnedApi[];

  beforeAll(async () => {
    cacheRedis = await PrivateRedis.startEvicting('64mb');
    redis = await cacheRedis.client();
    const env = { CACHE_REDIS_URL: cacheRedis.url };
    apis = await Promise.all([spawnApi(DATABASE, env), spawnApi(DATABASE, env)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
    await redis.close();
    await cacheRedis.kill();
  });

  const ownerOf = (token: string) => readToken(token)!.ownerId;
  const list = (api: SpawnedApi, token: string) =>
    send<{ items: TodoBody[] }>(api.url, 'GET', '/todos', { token });
  /** Each process's answer to the owner's list: its contents and X-Cache. */
  const listOnBoth = async (token: string) =>
    Promise.all(
      apis.map(async (api) => {
        const answer = await list(api, token);
        expect(answer.status).toBe(200);
        return {
          contents: answer.body.items.map((t) => t.content),
          cache: answer.headers.get('x-cache'),
        };
      }),
    );
  const create = async (token: string, content: string) => {
    const created = await send(apis[0].url, 'POST', '/todos', { token, json: { content } });
    expect(created.status).toBe(201);
  };
  const viewKeysOf = async (owner: string) => {
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: viewKey(DATABASE, owner, '*') })) {
      keys.push(...batch);
    }
    return keys;
  };

  it('a lost view is loaded again from MongoDB', async () => {
    const token = await signIn(apis[0].url);
    await create(token, 'one');
    await listOnBoth(token);
    expect((await listOnBoth(token)).map((a) => a.cache)).toEqual(['HIT', 'HIT']);
    const keys = await viewKeysOf(ownerOf(token));
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(keys);
    await create(token, 'two'); // a write after the loss: no process may answer without it
    for (const answer of await listOnBoth(token))
      expect(answer.contents.sort()).toEqual(['one', 'two']);
  });

  it("a lost generation never lets a view stored before the owner's write match again", async () => {
    const token = await signIn(apis[0].url);
    // Cached before the owner ever wrote: no generation of the owner existed then.
    expect((await listOnBoth(token)).map((a) => a.contents)).toEqual([[], []]);
    await create(token, 'written');
    // Another view is read since; the first stays stored as it was, under its old stamp.
    const other = await send<{ items: TodoBody[] }>(apis[0].url, 'GET', '/todos?limit=5', {
      token,
    });
    expect(other.body.items.map((t) => t.content)).toEqual(['written']);
    expect(await redis.del(generationKey(DATABASE, ownerOf(token)))).toBe(1);
    const after = await listOnBoth(token);
    expect(after).toEqual([
      { contents: ['written'], cache: 'MISS' },
      { contents: ['written'], cache: expect.stringMatching(/^(HIT|MISS)$/) as unknown },
    ]);
    expect((await listOnBoth(token)).map((a) => a.contents)).toEqual([['written'], ['written']]);
  });

  it('a lost epoch disowns every view and credential entry: all are read again', async () => {
    const token = await signIn(apis[0].url);
    await create(token, 'kept');
    await listOnBoth(token);
    expect((await listOnBoth(token)).map((a) => a.cache)).toEqual(['HIT', 'HIT']);
    // Each process in turn, the epoch lost just before it asks: the first process's miss
    // stores the view under the new epoch, which the other may then rightly serve.
    for (const api of apis) {
      expect(await redis.del(epochKey(DATABASE))).toBe(1);
      const answer = await list(api, token);
      expect(answer.status).toBe(200);
      expect(answer.body.items.map((t) => t.content)).toEqual(['kept']);
      expect(answer.headers.get('x-cache')).toBe('MISS');
    }
  });

  it("a revoked token stays refused when its revocation mark is lost, a live one's entry is read again", async () => {
    const live = await signIn(apis[0].url);
    const ended = await signIn(apis[0].url);
    for (const token of [live, ended]) await listOnBoth(token); // entries on both processes
    const entryOf = (token: string) => sideKey(DATABASE, sessionEntryName(readToken(token)!.hash));
    expect(await redis.exists([entryOf(live), entryOf(ended)])).toBe(2);

    expect((await send(apis[1].url, 'POST', '/auth/logout', { token: ended })).status).toBe(204);
    expect(await redis.del(entryOf(ended))).toBe(1); // the mark the logout left
    expect(await redis.del(entryOf(live))).toBe(1);
    for (const api of apis) {
      expect((await list(api, ended)).status).toBe(401);
      expect((await list(api, live)).status).toBe(200);
    }
    expect(await redis.exists(entryOf(live))).toBe(1); // read from MongoDB, stored again
  });

  it("forged tokens naming an owner's id do not move the hit counter in /metrics", async () => {
    const token = await signIn(apis[0].url);
    await create(token, 'private');
    await listOnBoth(token);
    expect((await listOnBoth(token)).map((a) => a.cache)).toEqual(['HIT', 'HIT']);
    // Only the counter: a process's other samples (a fresh event-loop histogram) may be NaN.
    const hits = async (api: SpawnedApi) => {
      const { text } = await send<string>(api.url, 'GET', '/metrics', { token: null });
      const line = /^cache_hits_total (\d+)$/m.exec(text);
      expect(line).not.toBeNull();
      return Number(line?.[1]);
    };
    const before = await Promise.all(apis.map(hits));
    const forged = () => `tdo_s_${ownerOf(token)}${randomBytes(32).toString('base64url')}`;
    for (const api of apis) {
      for (let i = 0; i < 10; i++) expect((await list(api, forged())).status).toBe(401);
    }
    expect(await Promise.all(apis.map(hits))).toEqual(before);
    // Nor does a forged token naming a made-up owner leave a key for that owner.
    const madeUp = randomBytes(12).toString('hex');
    const made = `tdo_s_${madeUp}${randomBytes(32).toString('base64url')}`;
    expect((await list(apis[0], made)).status).toBe(401);
    expect(await redis.exists(generationKey(DATABASE, madeUp))).toBe(0);
    // The counter does move for the owner's own hits, so the check above could fail.
    expect((await listOnBoth(token)).map((a) => a.cache)).toEqual(['HIT', 'HIT']);
    expect(await Promise.all(apis.map(hits))).toEqual(before.map((n) => n + 1));
  });
});
