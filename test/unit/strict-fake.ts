import { afterEach, jest } from '@jest/globals';

/**
 * Strict fakes for unit specs, after Immich's `newTestService()`: a fake answers only what
 * the spec gave it, and any other member the code under test reaches for fails the test.
 * A rule is then checked in milliseconds, and a dependency the code starts to use without
 * the spec saying so cannot pass unnoticed.
 */

/** Any function, as the jest.fn behind a provided method (never[]: accepts every signature). */
type AnyMock = jest.Mock<(...args: never[]) => unknown>;

/** One call to a provided method. */
export interface FakeCall {
  method: string;
  args: unknown[];
}

export type StrictFake<T> = T & {
  /** Every call to a provided method, in order: checks "A before B" on one fake. */
  readonly calls: FakeCall[];
  /**
   * The jest.fn behind each provided method, for `expect(fake.mocks.x)` (no unbound-method
   * lint) and for changing its answer; only provided methods have one.
   */
  readonly mocks: Record<keyof T, AnyMock>;
};

/**
 * Members that runtimes and tools probe on any value, not calls of the code under test:
 * `then` (await and promise detection: a fake that threw here could not be awaited or
 * returned from an async function), `asymmetricMatch` (Jest's equality checks). They read as
 * undefined, as do symbols (Symbol.toPrimitive, util.inspect.custom, Symbol.iterator…).
 */
const PROBES = new Set<string>(['then', 'asymmetricMatch']);

/**
 * Unexpected accesses seen in this test. The access throws, but code under test may catch
 * it (a best-effort cancel that logs and swallows errors), so it is also recorded here and
 * fails the test afterwards. The hook is registered in each spec file importing this module
 * (Jest evaluates modules once per file).
 */
const unexpected: string[] = [];
afterEach(() => {
  const seen = unexpected.splice(0);
  if (seen.length > 0) throw new Error(`unexpected calls on strict fakes: ${seen.join(', ')}`);
});

/** Returns and forgets the unexpected accesses so far (for specs that provoke them). */
export function takeUnexpectedCalls(): string[] {
  return unexpected.splice(0);
}

/**
 * A fake `T` named `name` (for error messages). Functions in `members` become jest.fn
 * (an existing jest.fn is kept), listed in `mocks` and `calls`; other values are returned as
 * they are. Reading anything else throws `unexpected call: <name>.<member>`.
 */
export function strictFake<T extends object>(
  name: string,
  members: Partial<Record<keyof T, unknown>> = {},
): StrictFake<T> {
  const mocks: Record<string, AnyMock> = {};
  const target: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(members)) {
    if (typeof value === 'function') {
      const mock = jest.isMockFunction(value)
        ? (value as AnyMock)
        : jest.fn(value as (...args: never[]) => unknown);
      mocks[member] = mock;
      target[member] = mock;
    } else {
      target[member] = value;
    }
  }
  // Derived from Jest's global invocation order, so a mock reconfigured later still counts.
  Object.defineProperty(target, 'calls', {
    get: (): FakeCall[] =>
      Object.entries(mocks)
        .flatMap(([method, mock]) =>
          mock.mock.calls.map((args, i) => ({
            order: mock.mock.invocationCallOrder[i],
            call: { method, args },
          })),
        )
        .sort((a, b) => a.order - b.order)
        .map(({ call }) => call),
  });
  target.mocks = mocks;

  return new Proxy(target, {
    get(object, property) {
      if (typeof property === 'symbol' || PROBES.has(property)) return undefined;
      // Own members only: an inherited `toString` or `constructor` was not provided either.
      if (Object.hasOwn(object, property)) return object[property];
      unexpected.push(`${name}.${property}`);
      throw new Error(`unexpected call: ${name}.${property}`);
    },
  }) as StrictFake<T>;
}
