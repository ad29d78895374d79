import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { etagOf } from '../http/entity-tags.js';
import { epochKey, generationKey, sideKey, viewKey } from './cache.constants.js';
import { anotherProcess, createTestCache } from '../../test/unit/response-cache.fakes.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What `serve` answers: the body, its entity tag (the same on a hit, read from the entry), and whether it was a hit. */
const served = (body: string, hit: boolean) => ({ body, etag: etagOf(body), hit });

/** Two accounts' ids (24 hex digits), whose views must never meet. */
const A = '64a000000000000000000001';
const B = '64b000000000000000000002';

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
    expect(await setup.responses.serve(A, 'list', load)).toEqual(served('{"v":"a"}', false));
    await sleep(1);
    expect(await setup.responses.serve(A, 'list', load)).toEqual(served('{"v":"a"}', true));
    expect(loads).toBe(1);
    expect(setup.responses.stats).toMatchObject({ hits: 1, misses: 1, errors: 0 });
  });

  it('keeps a hit body in process, re-reading only the stamps, until they change', async () => {
    await setup.responses.serve(A, 'list', load); // miss: stored in Redis
    await sleep(1);
    await setup.responses.serve(A, 'list', load); // hit from Redis: now held
    const before = { ...setup.cache.calls };
    const mget = jest.spyOn(setup.client, 'mGet');
    expect(await setup.responses.serve(A, 'list', load)).toEqual(served('{"v":"a"}', true));
    expect(setup.cache.calls.get - before.get).toBe(0);
    expect(setup.cache.calls.mget - before.mget).toBe(1); // the epoch and generation, not the body
    expect(mget).toHaveBeenLastCalledWith([epochKey('test'), generationKey('test', A)]);

    // Another process writes for A: a new generation in Redis. The held body is not served.
    version = 'b';
    setup.cache.data.set(generationKey('test', A), 'from-another-process');
    expect(await setup.responses.serve(A, 'list', load)).toEqual(served('{"v":"b"}', false));
    expect(setup.responses.stats).toMatchObject({ hits: 2, misses: 2 });
  });

  it('serves nothing cached before an invalidation', async () => {
    await setup.responses.serve(A, 'list', load);
    version = 'b';
    await setup.responses.invalidate(A);
    expect(await setup.responses.serve(A, 'list', load)).toEqual(served('{"v":"b"}', false));
    expect(setup.responses.stats.invalidations).toBe(1);
  });

  describe('per owner', () => {
    /** A load of `owner`'s view: its body names the owner, so a view served to another shows. */
    const loadOf = (owner: string) => async () => {
      loads++;
      await sleep(5);
      return `{"owner":"${owner}","v":"${version}"}`;
    };
    const bodyOf = (owner: string, v = 'a') => `{"owner":"${owner}","v":"${v}"}`;

    it("keeps two owners' views of one name apart", async () => {
      expect(await setup.responses.serve(A, 'list', loadOf(A))).toEqual(served(bodyOf(A), false));
      await sleep(1);
      // B asks for the same view name: its own load, never A's entry.
      expect(await setup.responses.serve(B, 'list', loadOf(B))).toEqual(served(bodyOf(B), false));
      await sleep(1);
      expect(await setup.responses.serve(A, 'list', loadOf(A))).toEqual(served(bodyOf(A), true));
      expect(await setup.responses.serve(B, 'list', loadOf(B))).toEqual(served(bodyOf(B), true));
      expect(loads).toBe(2);
      expect(setup.cache.data.has(viewKey('test', A, 'list'))).toBe(true);
      expect(setup.cache.data.has(viewKey('test', B, 'list'))).toBe(true);
    });

    it('runs one load per owner for concurrent misses of one view name', async () => {
      const [a, b] = await Promise.all([
        setup.responses.serve(A, 'list', loadOf(A)),
        setup.responses.serve(B, 'list', loadOf(B)),
      ]);
      expect(a.body).toBe(bodyOf(A));
      expect(b.body).toBe(bodyOf(B));
      expect(loads).toBe(2);
    });

    it("invalidate(owner) makes that owner's views stale and leaves another's a hit", async () => {
      await setup.responses.serve(A, 'list', loadOf(A));
      await setup.responses.serve(B, 'list', loadOf(B));
      await sleep(1);
      version = 'b';
      await setup.responses.invalidate(A);
      expect(await setup.responses.serve(A, 'list', loadOf(A))).toEqual(
        served(bodyOf(A, 'b'), false),
      );
      expect(await setup.responses.serve(B, 'list', loadOf(B))).toEqual(served(bodyOf(B), true));
      expect(loads).toBe(3);
    });

    it("invalidate() without an owner makes every owner's views stale", async () => {
      await setup.responses.serve(A, 'list', loadOf(A));
      await setup.responses.serve(B, 'list', loadOf(B));
      await sleep(1);
      version = 'b';
      await setup.responses.invalidate();
      expect(await setup.responses.serve(A, 'list', loadOf(A))).toEqual(
        served(bodyOf(A, 'b'), false),
      );
      expect(await setup.responses.serve(B, 'list', loadOf(B))).toEqual(
        served(bodyOf(B, 'b'), false),
      );
    });

    it('never shares a bypassing load between owners', async () => {
      setup.cache.mode = 'failing';
      await setup.responses.serve(A, 'list', loadOf(A)); // fails over
      const [a, b] = await Promise.all([
        setup.responses.serve(A, 'list', loadOf(A)),
        setup.responses.serve(B, 'list', loadOf(B)),
      ]);
      expect(a).toEqual(served(bodyOf(A), false));
      expect(b).toEqual(served(bodyOf(B), false));
    });
  });

  describe('lookup', () => {
    it('reads the epoch, the generation, the side entries and the view in one MGET', async () => {
      await setup.responses.serve(A, 'list', load);
      await sleep(1);
      const { epoch, stamp: stampOfA } = (await setup.responses.lookup(A))!;
      setup.cache.data.set(sideKey('test', 'session:s'), `${epoch}\nA 123`); // under the epoch
      const mget = jest.spyOn(setup.client, 'mGet');
      const found = await setup.responses.lookup(B, 'list', ['session:s', 'session:absent']);
      expect(mget).toHaveBeenCalledTimes(1);
      expect(mget).toHaveBeenCalledWith([
        epochKey('test'),
        generationKey('test', B),
        sideKey('test', 'session:s'),
        sideKey('test', 'session:absent'),
        viewKey('test', B, 'list'),
      ]);
      // A's view is cached, not B's; B, never written for, has no generation: a stamp that
      // matches nothing, and none written by a lookup (its token is not checked yet).
      expect(found).toEqual({
        epoch,
        stamp: expect.stringMatching(/\.\S/),
        side: ['A 123', undefined],
        generationLost: true,
      });
      expect(found?.stamp.startsWith(`${epoch}.`)).toBe(true);
      expect(found?.stamp).not.toBe(stampOfA);
      expect((await setup.responses.lookup(A, 'list'))?.cached?.body).toBe('{"v":"a"}');
      expect(await setup.responses.lookup(A)).toEqual({ epoch, stamp: stampOfA, side: [] });
    });

    it('keeps a view read from Redis in process only when the caller calls keep', async () => {
      await setup.responses.serve(A, 'list', load);
      // Another process's view: this one holds no copy of it.
      const other = anotherProcess(setup);
      const mget = jest.spyOn(setup.client, 'mGet');
      const viewKeyOfA = viewKey('test', A, 'list');
      const fetched = () => mget.mock.calls.at(-1)?.[0].includes(viewKeyOfA);
      expect((await other.lookup(A, 'list'))?.cached?.body).toBe('{"v":"a"}');
      expect(fetched()).toBe(true);
      // Not kept (a token not checked yet): the next lookup fetches the body again.
      const again = await other.lookup(A, 'list');
      expect(fetched()).toBe(true);
      again?.keep?.();
      expect((await other.lookup(A, 'list'))?.cached?.body).toBe('{"v":"a"}');
      expect(fetched()).toBe(false);
    });

    it("keeps side entries across an owner's invalidation, not across a new epoch", async () => {
      const { epoch } = (await setup.responses.lookup(A))!;
      await setup.responses.fillSide('session:s', epoch, 'A 123', 60_000);
      expect((await setup.responses.lookup(A, undefined, ['session:s']))?.side).toEqual(['A 123']);
      await setup.responses.invalidate(A);
      expect((await setup.responses.lookup(A, undefined, ['session:s']))?.side).toEqual(['A 123']);
      await setup.responses.invalidate();
      const found = await setup.responses.lookup(A, undefined, ['session:s']);
      expect(found?.side).toEqual([undefined]);
      expect(found?.epoch).not.toBe(epoch);
      expect(found?.stamp.startsWith(`${found?.epoch}.`)).toBe(true);
    });

    it('never lets a fill replace a side entry, nor a blocked one', async () => {
      const { epoch } = (await setup.responses.lookup(A))!;
      await setup.responses.fillSide('session:s', epoch, 'first', 60_000);
      await setup.responses.fillSide('session:s', epoch, 'second', 60_000);
      expect((await setup.responses.lookup(A, undefined, ['session:s']))?.side).toEqual(['first']);
      await setup.responses.blockSide(['session:s', 'session:t'], 60_000);
      await setup.responses.fillSide('session:s', epoch, 'again', 60_000);
      await setup.responses.fillSide('session:t', epoch, 'later', 60_000);
      expect(
        (await setup.responses.lookup(A, undefined, ['session:s', 'session:t']))?.side,
      ).toEqual([undefined, undefined]);
    });

    it('answers undefined when disabled', async () => {
      setup = createTestCache({ cacheEnabled: false });
      expect(await setup.responses.lookup(A, 'list')).toBeUndefined();
    });
  });

  it('never serves a view loaded before a write that finished while it loaded', async () => {
    let release!: () => void;
    let read!: () => void;
    const hasRead = new Promise<void>((resolve) => (read = resolve));
    const held = setup.responses.serve(A, 'list', async () => {
      const body = await load(); // read "a" from the database...
      read();
      await new Promise<void>((resolve) => (release = resolve)); // ...and hold before storing
      return body;
    });
    await hasRead;
    version = 'b';
    await setup.responses.invalidate(A); // the write finishes meanwhile
    release();
    expect((await held).body).toBe('{"v":"a"}'); // it began before the write: allowed
    await sleep(1);
    expect(await setup.responses.serve(A, 'list', load)).toEqual(served('{"v":"b"}', false));
  });

  it('never lets a load a write overtook overwrite what was stored after the write', async () => {
    let release!: () => void;
    let read!: () => void;
    const hasRead = new Promise<void>((resolve) => (read = resolve));
    const held = setup.responses.serve(A, 'list', async () => {
      const body = await load();
      read();
      await new Promise<void>((resolve) => (release = resolve));
      return body;
    });
    await hasRead;
    version = 'b';
    await setup.responses.invalidate(A);
    // A read after the write loads "b" and stores it under the new generation...
    expect(await setup.responses.serve(A, 'list', load)).toEqual(served('{"v":"b"}', false));
    release(); // ...then the overtaken load of "a" ends: it must not replace that entry.
    await held;
    await sleep(1);
    const other = anotherProcess(setup); // no body kept in process: it reads Redis
    expect(await other.serve(A, 'list', load)).toEqual(served('{"v":"b"}', true));
    expect(loads).toBe(2);
  });

  it('runs one load for concurrent misses of one view', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => setup.responses.serve(A, 'list', load)),
    );
    expect(loads).toBe(1);
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set(['{"v":"a"}']));
  });

  it('does not share a load across an invalidation', async () => {
    const first = setup.responses.serve(A, 'list', load);
    await sleep(1);
    await setup.responses.invalidate(A);
    version = 'b';
    const second = setup.responses.serve(A, 'list', load);
    expect((await second).body).toBe('{"v":"b"}');
    await first;
    expect(loads).toBe(2);
  });

  it('answers from the loader after the deadline while Redis is frozen, then stops asking it', async () => {
    setup.cache.mode = 'frozen';
    const started = Date.now();
    expect(await setup.responses.serve(A, 'list', load)).toEqual(served('{"v":"a"}', false));
    expect(Date.now() - started).toBeLessThan(1_000); // the 50 ms deadline, not a hang
    const asked = setup.cache.calls.mget;
    await setup.responses.serve(A, 'list', load);
    expect(setup.cache.calls.mget).toBe(asked); // known to be failing: reads skip Redis
    expect(setup.responses.stats.bypassed).toBe(2);
  });

  it('bypasses a failing Redis, then resumes with a new generation', async () => {
    await setup.responses.serve(A, 'list', load); // cached under the first generation
    setup.cache.mode = 'failing';
    version = 'b';
    await setup.responses.serve(A, 'list', load); // fails over
    expect(setup.responses.stats.available).toBe(false);
    await setup.responses.invalidate(A); // cannot reach Redis: remembered for recovery
    setup.cache.mode = 'up';
    await sleep(700); // one recovery interval
    expect(setup.responses.stats.available).toBe(true);
    const answer = await setup.responses.serve(A, 'list', load);
    expect(answer).toEqual(served('{"v":"b"}', false)); // the old entry is disowned
    await sleep(1);
    expect((await setup.responses.serve(A, 'list', load)).hit).toBe(true);
  });

  it('shares one database load among concurrent reads while bypassing, never across a write', async () => {
    setup.cache.mode = 'failing';
    await setup.responses.serve(A, 'list', load); // fails over
    loads = 0;
    const before = await Promise.all(
      Array.from({ length: 50 }, () => setup.responses.serve(A, 'list', load)),
    );
    expect(loads).toBe(1);
    expect(new Set(before.map((answer) => answer.body))).toEqual(new Set(['{"v":"a"}']));

    let release!: () => void;
    const held = setup.responses.serve(A, 'list', async () => {
      const body = await load();
      await new Promise<void>((resolve) => (release = resolve));
      return body;
    });
    await sleep(10);
    version = 'b';
    await setup.responses.invalidate(A); // a write in this process while that load is running
    const after = setup.responses.serve(A, 'list', load);
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
    await setup.responses.serve(A, 'list', load);
    await setup.responses.serve(A, 'list', load);
    expect(loads).toBe(2);
    expect(setup.cache.data.size).toBe(0);
  });
});
