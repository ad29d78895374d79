import { etagOf } from '../http/entity-tags.js';
import { epochKey, generationKey, sideKey, viewKey } from './cache.constants.js';
import { createTestCache } from '../../test/unit/response-cache.fakes.js';

/** What `serve` answers: the body, its entity tag, and whether it was a hit. */
const served = (body: string, hit: boolean) => ({ body, etag: etagOf(body), hit });

const A = '64a000000000000000000001';

/**
 * The cache's Redis may evict any key (allkeys-lru): a lost key must make the read ask
 * MongoDB, never serve what an older stamp stored. Deleting a key stands for its eviction.
 */
describe('ResponseCache when Redis loses keys', () => {
  let setup: ReturnType<typeof createTestCache>;
  let version: string;
  let loads: number;
  const load = () => {
    loads++;
    return Promise.resolve(`{"v":"${version}"}`);
  };

  beforeEach(() => {
    setup = createTestCache();
    version = 'a';
    loads = 0;
  });
  afterEach(() => setup.responses.onModuleDestroy());

  /** A's view "a" stored, then A's write (a new generation), then "b" stored and hit. */
  const twoGenerations = async () => {
    await setup.responses.serve(A, 'list', load);
    await setup.responses.invalidate(A);
    version = 'b';
    await setup.responses.serve(A, 'list', load);
    expect(await setup.responses.serve(A, 'list', load)).toEqual(served('{"v":"b"}', true));
  };

  it.each([
    ['the generation', () => generationKey('test', A)],
    ['the epoch', () => epochKey('test')],
  ])('loads again, never an older view, when %s is lost', async (_, key) => {
    await twoGenerations();
    setup.cache.data.delete(key());
    version = 'c';
    const before = loads;
    expect(await setup.responses.serve(A, 'list', load)).toEqual(served('{"v":"c"}', false));
    expect(loads).toBe(before + 1);
    expect(await setup.responses.serve(A, 'list', load)).toEqual(served('{"v":"c"}', true));
  });

  it('never matches a view stored before any generation existed, once one is lost', async () => {
    // A view stored while A had no generation yet, then A writes, then the generation goes.
    await setup.responses.serve(A, 'list', load);
    const first = (await setup.responses.lookup(A))!.stamp;
    await setup.responses.invalidate(A);
    setup.cache.data.delete(generationKey('test', A));
    version = 'b';
    const found = await setup.responses.lookup(A, 'list');
    expect(found?.stamp).not.toBe(first);
    expect(found?.cached).toBeUndefined();
  });

  it('agrees on one new generation between concurrent reads after a loss', async () => {
    await setup.responses.serve(A, 'list', load);
    setup.cache.data.delete(generationKey('test', A));
    setup.cache.data.delete(epochKey('test'));
    const epochs = await Promise.all([1, 2, 3].map(() => setup.responses.lookup(A)));
    expect(new Set(epochs.map((found) => found?.epoch)).size).toBe(1);
    await Promise.all(['x', 'y', 'z'].map((view) => setup.responses.serve(A, view, load)));
    const stamp = (await setup.responses.lookup(A))!.stamp;
    for (const view of ['x', 'y', 'z']) {
      expect((await setup.responses.lookup(A, view))?.stamp).toBe(stamp);
      expect((await setup.responses.serve(A, view, load)).hit).toBe(true);
    }
  });

  it("writes no owner's generation from a lookup, which runs before the token check", async () => {
    const madeUp = '64f00000000000000000000f';
    const found = await setup.responses.lookup(madeUp, 'list');
    expect(found).toMatchObject({ generationLost: true, cached: undefined });
    expect(setup.cache.data.has(generationKey('test', madeUp))).toBe(false);
  });

  it('reads a side entry as absent once the epoch it was stored under is lost', async () => {
    const { epoch } = (await setup.responses.lookup(A))!;
    await setup.responses.fillSide('session:s', epoch, 'A 123', 60_000);
    setup.cache.data.delete(epochKey('test'));
    expect((await setup.responses.lookup(A, undefined, ['session:s']))?.side).toEqual([undefined]);
    expect(setup.cache.data.has(sideKey('test', 'session:s'))).toBe(true);
  });
});

describe('ResponseCache memory and counts', () => {
  it('serves a body over CACHE_MAX_BODY_BYTES without storing it', async () => {
    const setup = createTestCache({ cacheMaxBodyBytes: 1_024 });
    const fat = `"${'é'.repeat(600)}"`; // 1,202 bytes in UTF-8, 602 characters
    let loads = 0;
    const load = () => Promise.resolve(fat).finally(() => loads++);
    expect(await setup.responses.serve(A, 'fat', load)).toEqual(served(fat, false));
    expect(await setup.responses.serve(A, 'fat', load)).toEqual(served(fat, false));
    expect(loads).toBe(2);
    expect(setup.cache.data.has(viewKey('test', A, 'fat'))).toBe(false);
    expect(setup.responses.stats).toMatchObject({ oversized: 2, hits: 0, misses: 2 });
    setup.responses.onModuleDestroy();
  });

  it('counts a hit when serve answers one, not when a lookup finds one', async () => {
    const setup = createTestCache();
    const load = () => Promise.resolve('{}');
    await setup.responses.serve(A, 'list', load);
    expect((await setup.responses.lookup(A, 'list'))?.cached?.body).toBe('{}');
    expect(setup.responses.stats.hits).toBe(0);
    await setup.responses.serve(A, 'list', load);
    expect(setup.responses.stats.hits).toBe(1);
    setup.responses.onModuleDestroy();
  });
});
