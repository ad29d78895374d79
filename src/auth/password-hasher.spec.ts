import { jest } from '@jest/globals';
import argon2 from 'argon2';
import { PasswordHasher } from './password-hasher.js';

const PASSWORD = 'correct horse battery';
/** The password of the decoy made at boot (password-hasher.ts): it must open no account. */
const DECOY_PASSWORD = 'a password no account has';

/** The algorithm and cost of a PHC string `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. */
function costOf(hash: string) {
  const [, algorithm, version, parameters] = hash.split('$');
  return {
    algorithm,
    version,
    ...Object.fromEntries(parameters.split(',').map((pair) => pair.split('='))),
  } as Record<string, string>;
}
const OWASP = { algorithm: 'argon2id', version: 'v=19', m: '19456', t: '2', p: '1' };

describe('PasswordHasher', () => {
  let hasher: PasswordHasher;

  beforeAll(async () => {
    hasher = new PasswordHasher();
    await hasher.onModuleInit();
  });
  afterEach(() => jest.restoreAllMocks());

  it('hashes with argon2id, OWASP parameters, a fresh salt each time', async () => {
    const first = await hasher.hash(PASSWORD);
    const second = await hasher.hash(PASSWORD);
    expect(costOf(first)).toEqual(OWASP);
    expect(first).not.toContain(PASSWORD);
    expect(second).not.toBe(first);
  });

  it('verifies the password hashed', async () => {
    const hash = await hasher.hash(PASSWORD);
    expect(await hasher.verify(hash, PASSWORD)).toBe(true);
  });

  it('refuses another password', async () => {
    const hash = await hasher.hash(PASSWORD);
    expect(await hasher.verify(hash, 'correct horse battery!')).toBe(false);
    expect(await hasher.verify(hash, '')).toBe(false);
  });

  it("refuses every password for an unknown account, the decoy's own included", async () => {
    expect(await hasher.verify(undefined, PASSWORD)).toBe(false);
    expect(await hasher.verify(undefined, DECOY_PASSWORD)).toBe(false);
  });

  it('still does a real verify for an unknown account, against the decoy made at boot', async () => {
    const verify = jest.spyOn(argon2, 'verify');
    await hasher.verify(undefined, PASSWORD);
    expect(verify).toHaveBeenCalledTimes(1);
    const [[decoy, password]] = verify.mock.calls;
    expect(password).toBe(PASSWORD);
    // An argon2id hash of the same cost as an account's, so the work is the same.
    expect(costOf(decoy)).toEqual(OWASP);
    expect(await argon2.verify(decoy, DECOY_PASSWORD)).toBe(true);
  });

  it('verifies a known account through argon2 once too', async () => {
    const hash = await hasher.hash(PASSWORD);
    const verify = jest.spyOn(argon2, 'verify');
    await hasher.verify(hash, 'wrong password');
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify).toHaveBeenCalledWith(hash, 'wrong password');
  });
});
