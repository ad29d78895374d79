import { represent } from './cache-entry.js';
import { KeptBodies } from './kept-bodies.js';

describe('KeptBodies', () => {
  const body = (bytes: number) => represent('x'.repeat(bytes));

  it('holds bodies up to its bytes, dropping the oldest first', () => {
    const kept = new KeptBodies(1_000, 60_000);
    kept.keep('a', 'g', body(400));
    kept.keep('b', 'g', body(400));
    expect(kept.bytes).toBe(800);
    kept.keep('c', 'g', body(400));
    expect([kept.get('a'), kept.get('b'), kept.get('c')].map(Boolean)).toEqual([false, true, true]);
    expect(kept.bytes).toBe(800);
  });

  it('counts UTF-8 bytes, keeps nothing larger than its bytes, and replaces a key in place', () => {
    const kept = new KeptBodies(1_000, 60_000);
    kept.keep('a', 'g', represent('é'.repeat(501))); // 1,002 bytes
    expect(kept.get('a')).toBeUndefined();
    expect(kept.bytes).toBe(0);
    kept.keep('a', 'g1', body(600));
    kept.keep('a', 'g2', body(700));
    expect(kept.get('a')?.generation).toBe('g2');
    expect(kept.bytes).toBe(700);
  });

  it('forgets an expired body and its bytes', () => {
    const kept = new KeptBodies(1_000, -1);
    kept.keep('a', 'g', body(10));
    expect(kept.get('a')).toBeUndefined();
    expect(kept.bytes).toBe(0);
  });
});
