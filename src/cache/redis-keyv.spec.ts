import { sideEntry, storedValue } from './redis-keyv.js';

describe('storedValue', () => {
  it('reads a value in the store form, with or without an expiry', () => {
    expect(storedValue(`${Date.now() + 60_000}\nbody`)).toBe('body');
    expect(storedValue('\nbody\nwith lines')).toBe('body\nwith lines');
    expect(storedValue(sideEntry('side'))).toBe('side');
  });

  it('reads nothing for an absent, expired or malformed entry', () => {
    expect(storedValue(null)).toBeUndefined();
    expect(storedValue(undefined)).toBeUndefined();
    expect(storedValue(`${Date.now() - 1}\nbody`)).toBeUndefined();
    expect(storedValue('no newline')).toBeUndefined();
  });
});
