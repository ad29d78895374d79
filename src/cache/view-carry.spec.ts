import { describe, expect, it } from '@jest/globals';
import type { RedisClient } from '../redis/redis.module.js';
import { represent, unwrapView, wrap } from './cache-entry.js';
import type { RedisCircuit } from './redis-circuit.js';
import { carryView, type ViewCarry } from './view-carry.js';

const KEYS = { epoch: 'e', generation: 'g', view: 'v', note: 'n' };
const EXPIRES = Date.now() + 30_000;
/** Values in Keyv's serialized form, as the cache writes them. */
const raw = (value: string) => `${EXPIRES}\n${value}`;

/**
 * A client whose MGET answers `reads` in turn (the last one again once they run out) and
 * whose script answers `applied` in turn.
 */
function fakeClient(reads: (string | null)[][], applied: number[]) {
  const scripts: string[][] = [];
  const client = {
    mGet: () => Promise.resolve(reads.length > 1 ? reads.shift() : reads[0]),
    eval: (_script: string, { arguments: args }: { arguments: string[] }) => {
      scripts.push(args);
      return Promise.resolve(applied.shift() ?? 0);
    },
  } as unknown as RedisClient;
  return { client, scripts };
}
const circuit = { call: <T>(operation: Promise<T>) => operation } as unknown as RedisCircuit;

/** What Redis holds for a view `body` and its note under generation `g`. */
function stored(g: string, body: string, note = 'note of ' + body) {
  const view = represent(body);
  return [
    raw('E'),
    raw(g),
    raw(wrap(`E.${g}`, view)),
    raw(wrap(`E.${g}`, { etag: view.etag, body: note })),
  ];
}

const appending: ViewCarry = {
  view: 'list',
  next: ({ body, note }) => ({ body: `${body}+`, note: `${note}+` }),
};

describe('carryView', () => {
  it("stores the carried view and its note under a new generation, with the old view's expiry", async () => {
    const { client, scripts } = fakeClient([stored('g1', 'page')], [1]);
    expect(await carryView(client, circuit, KEYS, appending, 10_000)).toBe(true);
    const [held, generation, , view, note, ttl] = scripts[0];
    expect(held).toBe(raw('g1'));
    const fresh = generation.slice(generation.indexOf('\n') + 1);
    expect(fresh).not.toBe('g1');
    expect(view.startsWith(`${EXPIRES}\n`)).toBe(true);
    const carried = unwrapView(view.slice(view.indexOf('\n') + 1), `E.${fresh}`);
    expect(carried).toEqual(represent('page+'));
    expect(unwrapView(note.slice(note.indexOf('\n') + 1), `E.${fresh}`)).toEqual({
      etag: carried!.etag,
      body: 'note of page+',
    });
    expect(Number(ttl)).toBeLessThanOrEqual(30_000);
  });

  it('tries again from what a racing write left, three times at most', async () => {
    const raced = fakeClient([stored('g1', 'a'), stored('g2', 'a+b')], [0, 1]);
    expect(await carryView(raced.client, circuit, KEYS, appending, 10_000)).toBe(true);
    expect(raced.scripts.map(([held]) => held)).toEqual([raw('g1'), raw('g2')]);

    const always = fakeClient([stored('g1', 'a')], [0, 0, 0, 0]);
    expect(await carryView(always.client, circuit, KEYS, appending, 10_000)).toBe(false);
    expect(always.scripts).toHaveLength(3);
  });

  it('carries nothing without a view, a note of that very body, or a carry that can tell', async () => {
    const [epoch, generation, view] = stored('g1', 'page');
    const other = stored('g1', 'another page')[3];
    const refusing: ViewCarry = { view: 'list', next: () => undefined };
    const throwing: ViewCarry = {
      view: 'list',
      next: () => {
        throw new SyntaxError('not JSON');
      },
    };
    for (const [reads, carry, max] of [
      [[epoch, generation, null, null], appending, 10_000],
      [[epoch, generation, view, null], appending, 10_000],
      [[epoch, generation, view, other], appending, 10_000],
      [stored('g1', 'page'), refusing, 10_000],
      [stored('g1', 'page'), throwing, 10_000],
      [stored('g1', 'page'), appending, 4], // the carried body would be over the limit
    ] as const) {
      const { client, scripts } = fakeClient([[...reads]], [1]);
      expect(await carryView(client, circuit, KEYS, carry, max)).toBe(false);
      expect(scripts).toHaveLength(0);
    }
  });
});
