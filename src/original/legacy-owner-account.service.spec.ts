import { Types } from 'mongoose';
import { loadConfig } from '../config/configuration.js';
import { LEGACY } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import type { AccessTokens } from '../auth/access-tokens.service.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import type { UsersRepository } from '../auth/users.repository.js';
import { LegacyOwnerAccount } from './legacy-owner-account.service.js';

const EMAIL = 'legacy@example.com';
const PASSWORD = 'the operator knows this';
const HASHED = '$argon2id$fake-hash-of-the-password';
const OLD_HASH = '$argon2id$fake-hash-of-another';

type Members<T> = Partial<Record<keyof T, unknown>>;

/** A hasher whose verify holds only for (HASHED, PASSWORD). */
const hasher = {
  hash: () => Promise.resolve(HASHED),
  verify: (hash: string, password: string) =>
    Promise.resolve(hash === HASHED && password === PASSWORD),
};

function setup(users: Members<UsersRepository>, env: Record<string, string> = {}) {
  const made = {
    users: strictFake<UsersRepository>('users', users),
    passwords: strictFake<PasswordHasher>('passwords', hasher),
    tokens: strictFake<AccessTokens>('tokens', { endAll: () => Promise.resolve(2) }),
  };
  const config = loadConfig({ LEGACY_OWNER: EMAIL, ...env });
  const account = new LegacyOwnerAccount(config, made.users, made.passwords, made.tokens);
  return { account, ...made };
}

const existing = (password_hash: string, legacy_owner?: boolean) => ({
  markedCredentialsOf: () =>
    Promise.resolve({ _id: new Types.ObjectId(LEGACY.id), password_hash, legacy_owner }),
  create: () => Promise.resolve(null),
  setPasswordHash: () => Promise.resolve(true),
  markLegacyOwner: () => Promise.resolve(true),
});

describe('LegacyOwnerAccount', () => {
  it('creates the marked account when none has the email', async () => {
    const created = { _id: new Types.ObjectId(LEGACY.id), email: EMAIL, created_at: new Date() };
    const { account, users, tokens } = setup({ create: () => Promise.resolve(created) });
    expect(await account.provide(PASSWORD)).toEqual({ outcome: 'created' });
    expect(users.calls).toEqual([{ method: 'create', args: [EMAIL, HASHED, true] }]);
    expect(tokens.calls).toEqual([]);
  });

  it('changes nothing when run again with the same password', async () => {
    const { account, users, tokens } = setup(existing(HASHED, true));
    expect(await account.provide(PASSWORD)).toEqual({ outcome: 'unchanged' });
    expect(users.calls.map((call) => call.method)).toEqual(['create', 'markedCredentialsOf']);
    expect(tokens.calls).toEqual([]);
  });

  it('with another password, resets it and ends every credential of the account', async () => {
    const { account, users, tokens } = setup(existing(OLD_HASH, true));
    expect(await account.provide(PASSWORD)).toEqual({ outcome: 'password reset', ended: 2 });
    expect(users.mocks.setPasswordHash).toHaveBeenCalledWith(LEGACY.id, HASHED);
    expect(users.mocks.markLegacyOwner).not.toHaveBeenCalled();
    expect(tokens.calls).toEqual([{ method: 'endAll', args: [LEGACY.id] }]);
  });

  it('takes over an account registered with the email: new password, no credential, then the mark', async () => {
    const order: string[] = [];
    const { account, users, tokens } = setup(existing(HASHED, undefined));
    users.mocks.setPasswordHash.mockImplementation(() => (order.push('password'), true));
    tokens.mocks.endAll.mockImplementation(() => (order.push('end'), 1));
    users.mocks.markLegacyOwner.mockImplementation(() => (order.push('mark'), true));
    // Even with the right password: it was not the operator's account.
    expect(await account.provide(PASSWORD)).toEqual({ outcome: 'taken over', ended: 2 });
    expect(order).toEqual(['password', 'end', 'mark', 'end']);
  });

  it.each([
    ['short', 'x'.repeat(9)],
    ['long', 'x'.repeat(129)],
  ])('refuses a %s password before any write, without showing it', async (_, password) => {
    const { account, users } = setup({});
    await expect(account.provide(password)).rejects.toThrow(
      /^the password must have 10 to 128 characters$/,
    );
    expect(users.calls).toEqual([]);
  });

  it('refuses to run without LEGACY_OWNER', async () => {
    const users = strictFake<UsersRepository>('users');
    const passwords = strictFake<PasswordHasher>('passwords');
    const tokens = strictFake<AccessTokens>('tokens');
    const account = new LegacyOwnerAccount(loadConfig({}), users, passwords, tokens);
    await expect(account.provide(PASSWORD)).rejects.toThrow(/LEGACY_OWNER is not set/);
  });
});
