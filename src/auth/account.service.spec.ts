import { jest } from '@jest/globals';
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Types } from 'mongoose';
import type { ResponseCache } from '../cache/response-cache.service.js';
import type { RedisLock } from '../redis/redis-lock.js';
import { ALICE, LEGACY } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import type { AccessTokens } from './access-tokens.service.js';
import { AccountService, MAX_TOKENS } from './account.service.js';
import type { CreatedTokenDto } from './dto/me.dto.js';
import type { OwnerScope } from './owner-scope.js';
import type { LoginThrottle } from './login-throttle.js';
import type { Principal } from './owner.js';
import type { PasswordHasher } from './password-hasher.js';
import type { SessionsRepository } from './sessions.repository.js';
import type { UsersRepository } from './users.repository.js';
import { producerOf } from '../../test/unit/job-queues.js';

/** The real producer over one fake queue: the deadline and the names are the producer's. */

const caller: Principal = { ...ALICE, credential: { kind: 'session', hash: 'current' } };
const ADDRESS = '203.0.113.7';

interface Fakes {
  users?: Partial<UsersRepository>;
  sessions?: Partial<SessionsRepository>;
  passwords?: Partial<PasswordHasher>;
  throttle?: Partial<LoginThrottle>;
  tokens?: Partial<AccessTokens>;
  cache?: Partial<ResponseCache>;
  locks?: Partial<RedisLock>;
  queue?: Partial<Queue>;
}

const LEGACY_EMAIL = 'legacy@example.com';
/** LEGACY_OWNER's email is LEGACY_EMAIL, and LEGACY's account has it. */
const legacyEmail = { reserves: (email: string) => email === LEGACY_EMAIL };
const findById = (id: string) =>
  Promise.resolve({
    _id: new Types.ObjectId(id),
    email: id === LEGACY.id ? LEGACY_EMAIL : 'ada@example.com',
    created_at: new Date(),
  });
/** A lock that runs the work at once. */
const free = { holding: <T>(_owner: string, _name: string, work: () => Promise<T>) => work() };

/** Every attempt's `succeeded`, so a test sees which attempts were given back. */
const succeeded = jest.fn(() => Promise.resolve());
const open = { attempt: () => Promise.resolve({ succeeded }) };

/** The account of the caller, whose password `passwords.verify` checks. */
const account = { _id: ALICE.id, email: 'ada@example.com', password_hash: 'old hash' };

/** A session signed in `minutesAgo`. */
const signedIn = (minutesAgo: number) => () =>
  Promise.resolve(new Date(Date.now() - minutesAgo * 60_000));

function setup(fakes: Fakes = {}) {
  const made = {
    users: strictFake<UsersRepository>('users', fakes.users),
    sessions: strictFake<SessionsRepository>('sessions', fakes.sessions),
    passwords: strictFake<PasswordHasher>('passwords', fakes.passwords),
    throttle: strictFake<LoginThrottle>('throttle', fakes.throttle),
    tokens: strictFake<AccessTokens>('tokens', fakes.tokens),
    cache: strictFake<ResponseCache>('cache', fakes.cache),
    locks: strictFake<RedisLock>('locks', fakes.locks),
    queue: strictFake<Queue>('accounts queue', { name: 'accounts', ...fakes.queue }),
    legacy: strictFake<OwnerScope>('legacy owner', legacyEmail),
  };
  const service = new AccountService(
    made.users,
    made.sessions,
    made.passwords,
    made.throttle,
    made.tokens,
    made.cache,
    made.locks,
    producerOf(made.queue),
    made.legacy,
  );
  return { service, ...made };
}

describe('AccountService', () => {
  afterEach(() => succeeded.mockClear());

  describe('createToken', () => {
    const request = { name: 'ci', scopes: ['todos:read' as const], password: 'old one' };
    const checked = {
      users: { credentialsById: () => Promise.resolve(account as never) },
      passwords: {
        verify: (hash: string, password: string) =>
          Promise.resolve(hash === 'old hash' && password === 'old one'),
      },
      throttle: open,
      locks: free,
    };

    it('checks the password, then issues a token of 90 days unless told otherwise, under the lock', async () => {
      const issued = { token: 'tdo_pat_x' } as CreatedTokenDto;
      const { service, tokens, throttle, locks } = setup({
        ...checked,
        sessions: { countLiveTokens: () => Promise.resolve(MAX_TOKENS - 1) },
        tokens: { issue: () => Promise.resolve(issued) },
      });
      expect(await service.createToken(caller, request, ADDRESS)).toBe(issued);
      expect(throttle.mocks.attempt).toHaveBeenCalledWith('ada@example.com', ADDRESS);
      expect(succeeded).toHaveBeenCalledTimes(1);
      expect(locks.mocks.holding).toHaveBeenCalledWith(
        ALICE.id,
        'tokens',
        expect.any(Function),
        10_000,
      );
      expect(tokens.mocks.issue).toHaveBeenCalledWith(ALICE.id, 'ci', ['todos:read'], 90);
      await service.createToken(caller, { ...request, expires_in_days: 7 }, ADDRESS);
      expect(tokens.mocks.issue).toHaveBeenLastCalledWith(ALICE.id, 'ci', ['todos:read'], 7);
    });

    it('a wrong password is a 400 that keeps the attempt, and issues nothing', async () => {
      const { service, tokens, locks } = setup({
        ...checked,
        tokens: { issue: () => Promise.reject(new Error('must not be called')) },
      });
      const wrong = service.createToken(caller, { ...request, password: 'guess' }, ADDRESS);
      await expect(wrong).rejects.toThrow(new BadRequestException('password is wrong'));
      expect(succeeded).not.toHaveBeenCalled();
      expect(locks.mocks.holding).not.toHaveBeenCalled();
      expect(tokens.mocks.issue).not.toHaveBeenCalled();
    });

    it(`refuses a token past ${MAX_TOKENS} live ones with 409, and issues none`, async () => {
      const { service, tokens } = setup({
        ...checked,
        sessions: { countLiveTokens: () => Promise.resolve(MAX_TOKENS) },
        tokens: { issue: () => Promise.reject(new Error('must not be called')) },
      });
      await expect(service.createToken(caller, request, ADDRESS)).rejects.toBeInstanceOf(
        ConflictException,
      );
      expect(tokens.mocks.issue).not.toHaveBeenCalled();
    });
  });

  describe('ending a session or a token', () => {
    it('is a 404 when the account has no such one', async () => {
      const { service } = setup({ tokens: { end: () => Promise.resolve(false) } });
      await expect(service.deleteToken(caller, 'a'.repeat(24))).rejects.toBeInstanceOf(
        NotFoundException,
      );
      await expect(service.endSession(caller, 'a'.repeat(24))).rejects.toBeInstanceOf(
        NotFoundException,
      );
    });
  });

  describe('changePassword', () => {
    const body = { current_password: 'old one', new_password: 'a brand new one' };

    it('takes an attempt, checks the password, ends the other sessions, stores the new hash, then ends them again', async () => {
      const fakes = setup({
        users: {
          credentialsById: () => Promise.resolve(account as never),
          setPasswordHash: () => Promise.resolve(true),
        },
        passwords: { verify: () => Promise.resolve(true), hash: () => Promise.resolve('new hash') },
        throttle: open,
        tokens: { endWhere: () => Promise.resolve() },
      });
      await fakes.service.changePassword(caller, body, ADDRESS);
      expect(fakes.throttle.mocks.attempt).toHaveBeenCalledWith('ada@example.com', ADDRESS);
      expect(fakes.passwords.mocks.verify).toHaveBeenCalledWith('old hash', 'old one');
      expect(succeeded).toHaveBeenCalledTimes(1);
      expect(fakes.users.mocks.setPasswordHash).toHaveBeenCalledWith(ALICE.id, 'new hash');
      const others = { ownerId: ALICE.id, kind: 'session', exceptHash: 'current' };
      expect(fakes.tokens.calls).toEqual([
        { method: 'endWhere', args: [others] },
        { method: 'endWhere', args: [others] },
      ]);
      // Before the store (a 503 changes no password) and after it (a login with the old
      // password verified meanwhile made a session the first end did not see).
      const [first, second] = fakes.tokens.mocks.endWhere.mock.invocationCallOrder;
      const stored = fakes.users.mocks.setPasswordHash.mock.invocationCallOrder[0];
      expect(first).toBeLessThan(stored);
      expect(second).toBeGreaterThan(stored);
    });

    it('changes no password when the end of the other sessions cannot be told (503)', async () => {
      const notTold = new ServiceUnavailableException('not told');
      const fakes = setup({
        users: {
          credentialsById: () => Promise.resolve(account as never),
          setPasswordHash: () => Promise.resolve(true),
        },
        passwords: { verify: () => Promise.resolve(true), hash: () => Promise.resolve('new hash') },
        throttle: open,
        tokens: { endWhere: () => Promise.reject(notTold) },
      });
      await expect(fakes.service.changePassword(caller, body, ADDRESS)).rejects.toBe(notTold);
      expect(fakes.users.mocks.setPasswordHash).not.toHaveBeenCalled();
    });

    it('a wrong current password is a 400 that keeps its attempt, and changes nothing', async () => {
      const fakes = setup({
        users: { credentialsById: () => Promise.resolve(account as never) },
        passwords: { verify: () => Promise.resolve(false) },
        throttle: open,
      });
      await expect(fakes.service.changePassword(caller, body, ADDRESS)).rejects.toBeInstanceOf(
        BadRequestException,
      );
      expect(fakes.throttle.mocks.attempt).toHaveBeenCalledWith('ada@example.com', ADDRESS);
      expect(succeeded).not.toHaveBeenCalled();
    });

    it('is a 401 when the account is gone', async () => {
      const { service } = setup({ users: { credentialsById: () => Promise.resolve(null) } });
      await expect(service.changePassword(caller, body, ADDRESS)).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
    });
  });

  describe('deleteAccount', () => {
    it('queues the deletion first, then deletes the account and ends every credential', async () => {
      const order: string[] = [];
      const step = (name: string, value: unknown) => () => {
        order.push(name);
        return Promise.resolve(value as never);
      };
      const { service, queue } = setup({
        sessions: { createdAtOf: signedIn(9) },
        queue: { add: step('queue', { id: 'delete-account' }) },
        users: { findById, remove: step('account', true) },
        tokens: { endAll: step('credentials', 2) },
        cache: { invalidate: step('cache', undefined) },
      });
      await service.deleteAccount(caller);
      expect(order).toEqual(['queue', 'account', 'credentials', 'cache']);
      expect(queue.mocks.add).toHaveBeenCalledWith(
        'accounts.delete',
        { owner_id: ALICE.id },
        { jobId: `delete-account-${ALICE.id}` },
      );
    });

    it("refuses LEGACY_OWNER's account with 403: no job queued, nothing deleted or ended", async () => {
      // The fakes have no add, remove, endAll or invalidate: reaching one fails the test.
      const { service, legacy, users } = setup({ users: { findById } });
      const legacyCaller: Principal = { ...LEGACY, credential: { kind: 'session', hash: 'h' } };
      await expect(service.deleteAccount(legacyCaller)).rejects.toBeInstanceOf(ForbiddenException);
      // Read now, by email: not the id a process may remember as "not made yet".
      expect(users.calls).toEqual([{ method: 'findById', args: [LEGACY.id] }]);
      expect(legacy.calls).toEqual([{ method: 'reserves', args: [LEGACY_EMAIL] }]);
    });

    it('deletes nothing when the job cannot be queued (Redis away: 503)', async () => {
      const { service, users } = setup({
        sessions: { createdAtOf: signedIn(0) },
        queue: { add: () => Promise.reject(new Error('redis away')) },
        users: { findById, remove: () => Promise.resolve(true) },
      });
      await expect(service.deleteAccount(caller)).rejects.toMatchObject({ status: 503 });
      expect(users.mocks.remove).not.toHaveBeenCalled();
    });
  });

  describe('deleteAccount of a session signed in over 10 minutes ago', () => {
    it('is a 403 saying to sign in again, and queues and deletes nothing', async () => {
      const { service, queue, users } = setup({
        sessions: { createdAtOf: signedIn(11) },
        queue: { add: () => Promise.reject(new Error('must not be called')) },
        users: { findById, remove: () => Promise.reject(new Error('must not be called')) },
      });
      const refused = service.deleteAccount(caller);
      await expect(refused).rejects.toBeInstanceOf(ForbiddenException);
      await expect(refused).rejects.toThrow(/sign in again/);
      expect(queue.mocks.add).not.toHaveBeenCalled();
      expect(users.mocks.remove).not.toHaveBeenCalled();
    });
  });
});
