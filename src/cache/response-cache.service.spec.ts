import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { etagOf } from '../http/entity-tags.js';
import { createTestCache } from './response-cache.fakes.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What `serve` answers: the body, its entity tag (the same on a hit, read from the entry), and whether it was a hit. */
const served = (body: string, hit: boolean) => ({ body, etag: etagOf(body), hit });

describe('ResponseCache', () => {
  let setup: ReturnType<typeof createTestCache>;
  let loads: number;
  let version: string;
  const load = async () => {
    loads++;
    await sleep(5);
    return `{"v":"${version}"}`;
  };

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    setup = createTestCache();
    loads = 0;
    version = 'a';
  });
  afterEach(() => setup.responses.onModuleDestroy());

  it('misses, stores, then hits without loading', async () => {
    expect(await setup.responses.serve('list', load)).toEqual(served('{"v":"a"}', false));
    await sleep(1);
    expect(await setup.responses.serve('list', load)).toEqual(served('{"v":"a"}', true));
    expect(loads).toBe(1);
    expect(setup.responses.stats).toMatchObject({ hits: 1, misses: 1, errors: 0 });
  });

  it('keeps a hit body in process, re-reading only the generation, until it changes', async () => {
    await setup.responses.serve('list', load); // miss: stored in Redis
    await sleep(1);
    await setup.responses.serve('list', load); // hit from Redis: now held
    const before = { ...setup.cache.calls };
    expect(await setup.responses.serve('list', load)).toEqual(served('{"v":"a"}', true));
    expect(setup.cache.calls.get - before.get).toBe(1); // the generation, not the body
    expect(setup.cache.calls.mget - before.mget).toBe(0);

    // Another process writes: a new generation in Redis. The held body is not served.
    version = 'b';
    setup.cache.data.set('test:todos:gen', 'from-another-process');
    expect(await setup.responses.serve('list', load)).toEqual(served('{"v":"b"}', false));
    expect(setup.responses.stats).toMatchObject({ hits: 2, misses: 2 });
  });

  it('serves nothing cached before an invalidation', async () => {
    await setup.responses.serve('list', load);
    version = 'b';
    await setup.responses.invalidate();
    expect(await setup.responses.serve('list', load)).toEqual(served('{"v":"b"}', false));
    expect(setup.responses.stats.invalidations).toBe(1);
  });

  it('never serves a view loaded before a write that finished while it loaded', async () => {
    let release!: () => void;
    const held = setup.responses.serve('list', async () => {
      const body = await load(); // read "a" from the database...
      await new Promise<void>((resolve) => (release = resolve)); // ...and hold before storing
      return body;
    });
    await sleep(10);
    version = 'b';
    await setup.responses.invalidate(); // the write finishes meanwhile
    release();
    expect((await held).body).toBe('{"v":"a"}'); // it began before the write: allowed
    await sleep(1);
    expect(await setup.responses.serve('list', load)).toEqual(served('{"v":"b"}', false));
  });

  it('runs one load for concurrent misses of one view', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => setup.responses.serve('list', load)),
    );
    expect(loads).toBe(1);
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set(['{"v":"a"}']));
  });

  it('does not share a load across an invalidation', async () => {
    const first = setup.responses.serve('list', load);
    await sleep(1);
    await setup.responses.invalidate();
    version = 'b';
    const second = setup.responses.serve('list', load);
    expect((await second).body).toBe('{"v":"b"}');
    await first;
    expect(loads).toBe(2);
  });

  it('answers from the loader after the deadline while Redis is frozen, then stops asking it', async () => {
    setup.cache.mode = 'frozen';
    const started = Date.now();
    expect(await setup.responses.serve('list', load)).toEqual(served('{"v":"a"}', false));
    expect(Date.now() - started).toBeLessThan(1_000); // the 50 ms deadline, not a hang
    const asked = setup.cache.calls.mget;
    await setup.responses.serve('list', load);
    expect(setup.cache.calls.mget).toBe(asked); // known to be failing: reads skip Redis
    expect(setup.responses.stats.bypassed).toBe(2);
  });

  it('bypasses a failing Redis, then resumes with a new generation', async () => {
    await setup.responses.serve('list', load); // cached under the first generation
    setup.cache.mode = 'failing';
    version = 'b';
    await setup.responses.serve('list', load); // fails over
    expect(setup.responses.stats.available).toBe(false);
    await setup.responses.invalidate(); // cannot reach Redis: remembered for recovery
    setup.cache.mode = 'up';
    await sleep(700); // one recovery interval
    expect(setup.responses.stats.available).toBe(true);
    const answer = await setup.responses.serve('list', load);
    expect(answer).toEqual(served('{"v":"b"}', false)); // the old entry is disowned
    await sleep(1);
    expect((await setup.responses.serve('list', load)).hit).toBe(true);
  });

  it('shares one database load among concurrent reads while bypassing, never across a write', async () => {
    setup.cache.mode = 'failing';
    await setup.responses.serve('list', load); // fails over
    loads = 0;
    const before = await Promise.all(
      Array.from({ length: 50 }, () => setup.responses.serve('list', load)),
    );
    expect(loads).toBe(1);
    expect(new Set(before.map((answer) => answer.body))).toEqual(new Set(['{"v":"a"}']));

    let release!: () => void;
    const held = setup.responses.serve('list', async () => {
      const body = await load();
      await new Promise<void>((resolve) => (release = resolve));
      return body;
    });
    await sleep(10);
    version = 'b';
    await setup.responses.invalidate(); // a write in this process while that load is running
    const after = setup.responses.serve('list', load);
    release();
    expect((await held).body).toBe('{"v":"a"}');
    expect((await after).body).toBe('{"v":"b"}'); // its own load, not the one begun before
  });

  it('treats a dropped connection as a failure even without traffic', () => {
    setup.client.emit('error', new Error('socket closed'));
    expect(setup.responses.stats.errors).toBe(1);
    expect(setup.responses.stats.available).toBe(false);
  });

  it('loads every time when disabled', async () => {
    setup = createTestCache({ cacheEnabled: false });
    await setup.responses.serve('list', load);
    await setup.responses.serve('list', load);
    expect(loads).toBe(2);
    expect(setup.cache.data.size).toBe(0);
  });
});
