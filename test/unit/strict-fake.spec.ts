import { jest } from '@jest/globals';
import { strictFake, takeUnexpectedCalls } from './strict-fake.js';

interface Greeter {
  greet(name: string): string;
  wave(): void;
  readonly language: string;
}

describe('strictFake', () => {
  it('throws on a member that was not provided, and records it for the test', () => {
    const fake = strictFake<Greeter>('greeter', { greet: (name: string) => `hi ${name}` });
    expect(() => fake.wave()).toThrow('unexpected call: greeter.wave');
    expect(() => fake.language).toThrow('unexpected call: greeter.language');
    // Recorded too, so a caller that swallows the error still fails (taken here on purpose).
    expect(takeUnexpectedCalls()).toEqual(['greeter.wave', 'greeter.language']);
  });

  it('treats inherited members as not provided', () => {
    const fake = strictFake<Greeter>('greeter');
    expect(() => fake.constructor).toThrow('unexpected call: greeter.constructor');
    expect(takeUnexpectedCalls()).toEqual(['greeter.constructor']);
  });

  it('turns provided methods into jest.fn and lists their calls in order', () => {
    const fake = strictFake<Greeter>('greeter', {
      greet: (name: string) => `hi ${name}`,
      wave: () => undefined,
      language: 'en',
    });
    expect(fake.greet('ann')).toBe('hi ann');
    fake.wave();
    fake.mocks.greet.mockReturnValueOnce('bye');
    expect(fake.greet('bob')).toBe('bye');
    expect(fake.language).toBe('en');
    expect(jest.isMockFunction(fake.mocks.greet)).toBe(true);
    expect(fake.mocks.greet).toHaveBeenCalledTimes(2);
    expect(fake.calls).toEqual([
      { method: 'greet', args: ['ann'] },
      { method: 'wave', args: [] },
      { method: 'greet', args: ['bob'] },
    ]);
  });

  it('keeps a provided jest.fn as it is', () => {
    const wave = jest.fn(() => undefined);
    const fake = strictFake<Greeter>('greeter', { wave });
    fake.wave();
    expect(fake.mocks.wave).toBe(wave);
    expect(wave).toHaveBeenCalledTimes(1);
  });

  it('can be awaited and compared: then and symbols read as undefined', async () => {
    const fake = strictFake<Greeter>('greeter');
    expect(await Promise.resolve(fake)).toBe(fake);
    expect((fake as unknown as Record<symbol, unknown>)[Symbol.iterator]).toBeUndefined();
    expect(fake).toBe(fake);
    expect(takeUnexpectedCalls()).toEqual([]);
  });
});
