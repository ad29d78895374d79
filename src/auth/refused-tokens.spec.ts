import { RefusedTokens } from './refused-tokens.js';

describe('RefusedTokens', () => {
  it('refuses a hash for its time after the read, not a moment longer, and a repeat does not extend it', () => {
    const refused = new RefusedTokens(5_000, 10);
    refused.add('forged', 1_000);
    expect(refused.has('forged', 1_001)).toBe(true);
    expect(refused.has('forged', 5_999)).toBe(true);
    expect(refused.has('forged', 6_000)).toBe(false);
    expect(refused.has('other', 1_001)).toBe(false);
    expect(refused.size).toBe(0);
  });

  it('holds at most its bound, dropping the oldest first', () => {
    const refused = new RefusedTokens(5_000, 3);
    for (const [i, hash] of ['a', 'b', 'c', 'd'].entries()) refused.add(hash, 1_000 + i);
    expect(refused.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((hash) => refused.has(hash, 1_010))).toEqual([
      false,
      true,
      true,
      true,
    ]);
  });
});
