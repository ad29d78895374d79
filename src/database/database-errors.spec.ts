import { runInNewContext } from 'node:vm';
import { MongoNetworkError } from 'mongodb';
import { isDatabaseUnavailable } from './database-errors.js';

/** An error made in another realm, as Node's own socket errors are under a VM sandbox. */
const foreign = (code: string): unknown =>
  runInNewContext(
    `Object.assign(new Error('This socket has been ended by the other party'), { code: '${code}' })`,
  );

describe('isDatabaseUnavailable', () => {
  it("counts Node's socket errors, also when they come from another realm", () => {
    const epipe = foreign('EPIPE');
    expect(epipe instanceof Error).toBe(false);
    expect(isDatabaseUnavailable(epipe)).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: foreign('ECONNRESET') }))).toBe(
      true,
    );
  });

  it("counts the driver's network errors", () => {
    expect(isDatabaseUnavailable(new MongoNetworkError('connection closed'))).toBe(true);
  });

  it('does not count faults of the request or the code', () => {
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(foreign('ENOENT'))).toBe(false);
    expect(isDatabaseUnavailable('EPIPE')).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
