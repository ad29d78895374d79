import { jest } from '@jest/globals';
import {
  ConflictException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Types } from 'mongoose';
import { RetryLaterException } from '../common/retry-later.exception.js';
import { loadConfig, type AppConfig } from '../config/configuration.js';
import { ALICE } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import { AuthService } from './auth.service.js';
import type { AccessTokens } from './access-tokens.service.js';
import type { LoginThrottle } from './login-throttle.js';
import type { OwnerScope } from './owner-scope.js';
import type { Principal } from './owner.js';
import type { PasswordHasher } from './password-hasher.js';
import { readToken, tokenHash } from './bearer-token.js';
import type { SessionsRepository } from './sessions.repository.js';
import { emailKeyOf, type Account, type UsersRepository } from './users.repository.js';

const DAY_MS = 24 * 3600 * 1000;
const NOW = Date.parse('2030-01-01T09:00:00.000Z');
const ADDRESS = '203.0.113.7';
const EMAIL = 'ada@example.com';
const PASSWORD = 'correct horse battery';
/** What the fake hasher makes of PASSWORD; it verifies only that pair. */
const HASHED = '$argon2id$fake-hash-of-the-password';
const BAD_CREDENTIALS = 'the email or the password is wrong';

const account: Account = {
  _id: new Types.ObjectId(ALICE.id),
  email: EMAIL,
  created_at: new Date('2026-11-27T10:00:00.000Z'),
};
const credentials = { _id: new Types.ObjectId(ALICE.id), password_hash: HASHED };

type Members<T> = Partial<Record<keyof T, unknown>>;

/** AuthService over strict fakes; every dependency answers only what a test gives it. */
function setup(
  fakes: {
    users?: Members<UsersRepository>;
    sessions?: Members<SessionsRepository>;
    passwords?: Members<PasswordHasher>;
    throttle?: Members<LoginThrottle>;
    tokens?: Members<AccessTokens>;
  } = {},
  config: AppConfig = loadConfig({}),
) {
  const users = strictFake<UsersRepository>('users', fakes.users);
  const sessions = strictFake<SessionsRepository>('sessions', fakes.sessions);
  const passwords = strictFake<PasswordHasher>('passwords', fakes.passwords);
  const throttle = strictFake<LoginThrottle>('throttle', fakes.throttle);
  const tokens = strictFake<AccessTokens>('tokens', fakes.tokens);
  // LEGACY_OWNER's scope as register asks it, whether the email is reserved, as the original's
  // compatibility answers it (its own spec holds it to that): no I/O.
  const legacy = strictFake<OwnerScope>('owner scope', {
    reserves: (email: string) =>
      config.legacyOwner !== undefined && emailKeyOf(config.legacyOwner) === emailKeyOf(email),
  });
  const service = new AuthService(users, sessions, passwords, throttle, tokens, config, legacy);
  return { service, users, sessions, passwords, throttle, tokens };
}

/** A hasher whose verify holds only for (HASHED, PASSWORD). */
const hasher = {
  hash: () => Promise.resolve(HASHED),
  verify: (hash: string | undefined, password: string) =>
    Promise.resolve(hash === HASHED && password === PASSWORD),
};

/** Every attempt's `succeeded`, so a test sees which attempts were given back. */
const succeeded = jest.fn(() => Promise.resolve());

/** A throttle letting everything through. */
const open = {
  register: () => Promise.resolve(),
  attempt: () => Promise.resolve({ succeeded }),
};

/** Whether every mock ran once, in this order (across fakes). */
function expectOrder(...mocks: { mock: { invocationCallOrder: number[] } }[]) {
  const order = mocks.map((mock) => {
    expect(mock.mock.invocationCallOrder).toHaveLength(1);
    return mock.mock.invocationCallOrder[0];
  });
  expect(order).toEqual([...order].sort((a, b) => a - b));
}

/** The error `promise` rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

describe('AuthService', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    succeeded.mockClear();
  });

  describe('register', () => {
    it('counts the address, then hashes the password, then creates the account', async () => {
      const { service, users, passwords, throttle } = setup({
        users: { create: () => Promise.resolve(account) },
        passwords: hasher,
        throttle: open,
      });
      const created = await service.register({ email: EMAIL, password: PASSWORD }, ADDRESS);

      expect(created).toEqual({
        id: ALICE.id,
        email: EMAIL,
        created_at: '2026-11-27T10:00:00.000Z',
      });
      expect(throttle.calls).toEqual([{ method: 'register', args: [ADDRESS] }]);
      expect(passwords.calls).toEqual([{ method: 'hash', args: [PASSWORD] }]);
      expect(users.calls).toEqual([{ method: 'create', args: [EMAIL, HASHED] }]);
      expectOrder(throttle.mocks.register, passwords.mocks.hash, users.mocks.create);
    });

    it('is a 409 when the email has an account', async () => {
      const { service } = setup({
        users: { create: () => Promise.resolve(null) },
        passwords: hasher,
        throttle: open,
      });
      await expect(
        service.register({ email: EMAIL, password: PASSWORD }, ADDRESS),
      ).rejects.toBeInstanceOf(ConflictException);
    });

    it("is the same 409 for LEGACY_OWNER's email, in any case, after the same hashing, and creates nothing", async () => {
      const taken = setup({
        users: { create: () => Promise.resolve(null) },
        passwords: hasher,
        throttle: open,
      });
      const takenError = await taken.service
        .register({ email: EMAIL, password: PASSWORD }, ADDRESS)
        .catch((error: unknown) => error);
      for (const email of ['legacy@example.com', ' Legacy@EXAMPLE.com ']) {
        const { service, users, passwords } = setup(
          { passwords: hasher, throttle: open },
          loadConfig({ LEGACY_OWNER: 'legacy@example.com' }),
        );
        const error = await service
          .register({ email, password: PASSWORD }, ADDRESS)
          .catch((thrown: unknown) => thrown);
        expect(error).toBeInstanceOf(ConflictException);
        expect((error as ConflictException).getResponse()).toEqual(
          (takenError as ConflictException).getResponse(),
        );
        expect(passwords.calls).toEqual([{ method: 'hash', args: [PASSWORD] }]);
        expect(users.calls).toEqual([]); // the strict fake has no create: none was tried
      }
    });

    it('registers any other email while LEGACY_OWNER is set', async () => {
      const { service, users } = setup(
        { users: { create: () => Promise.resolve(account) }, passwords: hasher, throttle: open },
        loadConfig({ LEGACY_OWNER: 'legacy@example.com' }),
      );
      await service.register({ email: EMAIL, password: PASSWORD }, ADDRESS);
      expect(users.calls).toEqual([{ method: 'create', args: [EMAIL, HASHED] }]);
    });

    it('past the limit of the address, neither hashes nor creates', async () => {
      const tooMany = new RetryLaterException('too many registrations, retry in 60 s', 60);
      const { service, users, passwords } = setup({
        users: { create: () => Promise.resolve(account) },
        passwords: hasher,
        throttle: { register: () => Promise.reject(tooMany) },
      });
      await expect(service.register({ email: EMAIL, password: PASSWORD }, ADDRESS)).rejects.toBe(
        tooMany,
      );
      expect(passwords.mocks.hash).not.toHaveBeenCalled();
      expect(users.mocks.create).not.toHaveBeenCalled();
    });
  });

  describe('login', () => {
    beforeEach(() => {
      jest.spyOn(Date, 'now').mockReturnValue(NOW);
    });

    const loginSetup = (config?: AppConfig) =>
      setup(
        {
          users: {
            credentialsOf: (email: string) => Promise.resolve(email === EMAIL ? credentials : null),
          },
          sessions: { create: () => Promise.resolve() },
          passwords: hasher,
          throttle: open,
          tokens: { endSessionsPast: () => Promise.resolve(false) },
        },
        config,
      );

    it('starts a session for the owner, stored by its hash, and answers the bearer token', async () => {
      const { service, sessions, throttle, tokens } = loginSetup();
      const answer = await service.login({ email: EMAIL, password: PASSWORD }, ADDRESS);

      const { sessionMaxDays, sessionIdleDays } = loadConfig({});
      expect(sessionIdleDays).toBeLessThan(sessionMaxDays); // so the two ends differ
      const expiresAt = new Date(NOW + sessionMaxDays * DAY_MS);
      const endsAt = new Date(NOW + sessionIdleDays * DAY_MS);
      expect(answer).toEqual({
        token: expect.any(String),
        token_type: 'Bearer',
        expires_at: expiresAt.toISOString(),
      });
      expect(readToken(answer.token)).toEqual({
        kind: 'session',
        ownerId: ALICE.id,
        hash: tokenHash(answer.token),
      });
      expect(sessions.calls).toEqual([
        {
          method: 'create',
          args: [
            {
              kind: 'session',
              hash: tokenHash(answer.token),
              ownerId: ALICE.id,
              expiresAt,
              endsAt,
            },
          ],
        },
      ]);
      // The token itself is stored nowhere.
      expect(JSON.stringify(sessions.calls)).not.toContain(answer.token);
      expect(throttle.calls).toEqual([{ method: 'attempt', args: [EMAIL, ADDRESS] }]);
      expect(succeeded).toHaveBeenCalledTimes(1);
      // Past SESSIONS_MAX the oldest end, after the new one is stored.
      expect(tokens.calls).toEqual([{ method: 'endSessionsPast', args: [ALICE.id, 50] }]);
      expectOrder(sessions.mocks.create, tokens.mocks.endSessionsPast);
    });

    it('drops the new session when the end of the oldest cannot be told (the 503 stands)', async () => {
      const notTold = new ServiceUnavailableException('not told');
      const { service, tokens } = setup({
        users: { credentialsOf: () => Promise.resolve(credentials) },
        sessions: { create: () => Promise.resolve() },
        passwords: hasher,
        throttle: open,
        tokens: {
          endSessionsPast: () => Promise.reject(notTold),
          endWhere: () => Promise.reject(notTold),
        },
      });
      const error = await rejection(service.login({ email: EMAIL, password: PASSWORD }, ADDRESS));
      expect(error).toBe(notTold);
      const [[dropped]] = tokens.mocks.endWhere.mock.calls as unknown as [[{ hash: string }]];
      expect(dropped).toEqual({ ownerId: ALICE.id, hash: expect.any(String) as unknown });
    });

    it('takes the session lengths from the configuration', async () => {
      const config = { ...loadConfig({}), sessionMaxDays: 10, sessionIdleDays: 3 };
      const { service, sessions } = loginSetup(config);
      const answer = await service.login({ email: EMAIL, password: PASSWORD }, ADDRESS);
      expect(answer.expires_at).toBe(new Date(NOW + 10 * DAY_MS).toISOString());
      expect(sessions.mocks.create).toHaveBeenCalledWith({
        kind: 'session',
        hash: tokenHash(answer.token),
        ownerId: ALICE.id,
        expiresAt: new Date(NOW + 10 * DAY_MS),
        endsAt: new Date(NOW + 3 * DAY_MS),
      });
    });

    it('ends an idle session no later than it expires', async () => {
      const config = { ...loadConfig({}), sessionMaxDays: 7, sessionIdleDays: 30 };
      const { service, sessions } = loginSetup(config);
      await service.login({ email: EMAIL, password: PASSWORD }, ADDRESS);
      const [[{ expiresAt, endsAt }]] = sessions.mocks.create.mock.calls as unknown as [
        [{ expiresAt: Date; endsAt: Date }],
      ];
      expect(expiresAt).toEqual(new Date(NOW + 7 * DAY_MS));
      expect(endsAt).toEqual(expiresAt);
    });

    it('gives a new token for each login', async () => {
      const { service } = loginSetup();
      const first = await service.login({ email: EMAIL, password: PASSWORD }, ADDRESS);
      const second = await service.login({ email: EMAIL, password: PASSWORD }, ADDRESS);
      expect(second.token).not.toBe(first.token);
    });

    it('asks the throttle first: a 429 from it looks up and verifies nothing', async () => {
      const tooMany = new RetryLaterException('too many login attempts, retry in 30 s', 30);
      const { service, users, passwords, sessions } = setup({
        users: { credentialsOf: () => Promise.resolve(credentials) },
        sessions: { create: () => Promise.resolve() },
        passwords: hasher,
        throttle: { ...open, attempt: () => Promise.reject(tooMany) },
      });
      await expect(service.login({ email: EMAIL, password: PASSWORD }, ADDRESS)).rejects.toBe(
        tooMany,
      );
      expect(users.mocks.credentialsOf).not.toHaveBeenCalled();
      expect(passwords.mocks.verify).not.toHaveBeenCalled();
      expect(sessions.mocks.create).not.toHaveBeenCalled();
    });

    it('refuses a wrong password with a 401, and keeps the attempt it took', async () => {
      const { service, passwords, throttle, sessions } = loginSetup();
      const error = await rejection(service.login({ email: EMAIL, password: 'wrong' }, ADDRESS));
      expect(error).toBeInstanceOf(UnauthorizedException);
      expect((error as Error).message).toBe(BAD_CREDENTIALS);
      expect(passwords.mocks.verify).toHaveBeenCalledWith(HASHED, 'wrong');
      expect(throttle.calls).toEqual([{ method: 'attempt', args: [EMAIL, ADDRESS] }]);
      expectOrder(throttle.mocks.attempt, passwords.mocks.verify);
      expect(succeeded).not.toHaveBeenCalled();
      expect(sessions.mocks.create).not.toHaveBeenCalled();
    });

    it('refuses an unknown email as it refuses a wrong password, after the same verify', async () => {
      const { service, passwords, throttle, sessions } = loginSetup();
      const unknown = await rejection(
        service.login({ email: 'nobody@example.com', password: PASSWORD }, ADDRESS),
      );
      const wrong = await rejection(service.login({ email: EMAIL, password: 'wrong' }, ADDRESS));

      expect(unknown).toBeInstanceOf(UnauthorizedException);
      expect((unknown as UnauthorizedException).getResponse()).toEqual(
        (wrong as UnauthorizedException).getResponse(),
      );
      // The decoy verify: the same work as for a known email.
      expect(passwords.mocks.verify).toHaveBeenNthCalledWith(1, undefined, PASSWORD);
      expect(throttle.mocks.attempt).toHaveBeenNthCalledWith(1, 'nobody@example.com', ADDRESS);
      expect(succeeded).not.toHaveBeenCalled();
      expect(sessions.mocks.create).not.toHaveBeenCalled();
    });

    it('refuses an unknown email even if the verify of the decoy were to hold', async () => {
      const { service, sessions } = setup({
        users: { credentialsOf: () => Promise.resolve(null) },
        sessions: { create: () => Promise.resolve() },
        passwords: { verify: () => Promise.resolve(true) },
        throttle: open,
      });
      await expect(
        service.login({ email: 'nobody@example.com', password: PASSWORD }, ADDRESS),
      ).rejects.toBeInstanceOf(UnauthorizedException);
      expect(sessions.mocks.create).not.toHaveBeenCalled();
    });
  });

  describe('logout', () => {
    const caller: Principal = { ...ALICE, credential: { kind: 'session', hash: 'the-hash' } };

    it("ends the caller's session by its hash (marked, then told to every process)", async () => {
      const { service, tokens } = setup({ tokens: { endWhere: () => Promise.resolve() } });
      await service.logout(caller);
      expect(tokens.calls).toEqual([
        { method: 'endWhere', args: [{ ownerId: ALICE.id, hash: 'the-hash' }] },
      ]);
    });

    it('passes on the 503 of an end not told', async () => {
      const notTold = new ServiceUnavailableException('not told');
      const { service } = setup({ tokens: { endWhere: () => Promise.reject(notTold) } });
      await expect(service.logout(caller)).rejects.toBe(notTold);
    });

    it('is a 401 without a session (LEGACY_OWNER without a token), and ends nothing', async () => {
      const { service, tokens } = setup({ tokens: { endWhere: () => Promise.resolve() } });
      await expect(service.logout(ALICE)).rejects.toBeInstanceOf(UnauthorizedException);
      expect(tokens.mocks.endWhere).not.toHaveBeenCalled();
    });
  });

  describe('me', () => {
    it("answers the caller's account", async () => {
      const { service, users } = setup({ users: { findById: () => Promise.resolve(account) } });
      expect(await service.me(ALICE)).toEqual({
        id: ALICE.id,
        email: EMAIL,
        created_at: '2026-11-27T10:00:00.000Z',
      });
      expect(users.calls).toEqual([{ method: 'findById', args: [ALICE.id] }]);
    });

    it('is a 401 when the account no longer exists', async () => {
      const { service } = setup({ users: { findById: () => Promise.resolve(null) } });
      await expect(service.me(ALICE)).rejects.toBeInstanceOf(UnauthorizedException);
    });
  });
});
