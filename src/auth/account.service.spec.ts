import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Types } from 'mongoose';
import type { ResponseCache } from '../cache/response-cache.service.js';
import { ALICE, LEGACY } from '../testing/owners.js';
import { strictFake } from '../testing/strict-fake.js';
import type { AccessTokens } from './access-tokens.service.js';
import { AccountService, MAX_TOKENS } from './account.service.js';
import type { CreatedTokenDto } from './dto/me.dto.js';
import type { LegacyOwner } from './legacy-owner.js';
import type { LoginThrottle } from './login-throttle.js';
import type { Principal } from './owner.js';
import type { PasswordHasher } from './password-hasher.js';
import type { SessionsRepository } from './sessions.repository.js';
import type { UsersRepository } from './users.repository.js';

const caller: Principal = { ...ALICE, credential: { kind: 'session', hash: 'current' } };
const ADDRESS = '203.0.113.7';

interface Fakes {
  users?: Partial<UsersRepository>;
  sessions?: Partial<SessionsRepository>;
  passwords?: Partial<PasswordHasher>;
  throttle?: Partial<LoginThrottle>;
  tokens?: Partial<AccessTokens>;
  cache?: Partial<ResponseCache>;
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

function setup(fakes: Fakes = {}) {
  const made = {
    users: strictFake<UsersRepository>('users', fakes.users),
    sessions: strictFake<SessionsRepository>('sessions', fakes.sessions),
    passwords: strictFake<PasswordHasher>('passwords', fakes.passwords),
    throttle: strictFake<LoginThrottle>('throttle', fakes.throttle),
    tokens: strictFake<AccessTokens>('tokens', fakes.tokens),
    cache: strictFake<ResponseCache>('cache', fakes.cache),
    queue: strictFake<Queue>('accounts queue', { name: 'accounts', ...fakes.queue }),
    legacy: strictFake<LegacyOwner>('legacy owner', legacyEmail),
  };
  const service = new AccountService(
    made.users,
    made.sessions,
    made.passwords,
    made.throttle,
    made.tokens,
    made.cache,
    made.queue,
    made.legacy,
  );
  return { service, ...made };
}

describe('AccountService', () => {
  describe('createToken', () => {
    const request = { name: 'ci', scopes: ['todos:read' as const] };

    it('issues a token of 90 days unless told otherwise', async () => {
      const issued = { token: 'tdo_pat_x' } as CreatedTokenDto;
      const { service, tokens } = setup({
        sessions: { countLiveTokens: () => Promise.resolve(MAX_TOKENS - 1) },
        tokens: { issue: () => Promise.resolve(issued) },
      });
      expect(await service.createToken(caller, request)).toBe(issued);
      expect(tokens.mocks.issue).toHaveBeenCalledWith(ALICE.id, 'ci', ['todos:read'], 90);
      await service.createToken(caller, { ...request, expires_in_days: 7 });
      expect(tokens.mocks.issue).toHaveBeenLastCalledWith(ALICE.id, 'ci', ['todos:read'], 7);
    });

    it(`refuses a token past ${MAX_TOKENS} live ones with 409, and issues none`, async () => {
      const { service, tokens } = setup({
        sessions: { countLiveTokens: () => Promise.resolve(MAX_TOKENS) },
        tokens: { issue: () => Promise.reject(new Error('must not be called')) },
      });
      await expect(service.createToken(caller, request)).rejects.toBeInstanceOf(ConflictException);
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
    const account = { _id: ALICE.id, email: 'ada@example.com', password_hash: 'old hash' };
    const body = { current_password: 'old one', new_password: 'a brand new one' };
    const open = {
      beforeLogin: () => Promise.resolve(),
      failedLogin: () => Promise.resolve(),
    };

    it('checks the throttle, then the password; stores the new hash and ends the other sessions', async () => {
      const fakes = setup({
        users: {
          credentialsById: () => Promise.resolve(account as never),
          setPasswordHash: () => Promise.resolve(true),
        },
        passwords: { verify: () => Promise.resolve(true), hash: () => Promise.resolve('new hash') },
        throttle: open,
        tokens: { endAll: () => Promise.resolve(2) },
      });
      await fakes.service.changePassword(caller, body, ADDRESS);
      expect(fakes.throttle.mocks.beforeLogin).toHaveBeenCalledWith('ada@example.com', ADDRESS);
      expect(fakes.passwords.mocks.verify).toHaveBeenCalledWith('old hash', 'old one');
      expect(fakes.users.mocks.setPasswordHash).toHaveBeenCalledWith(ALICE.id, 'new hash');
      expect(fakes.tokens.calls).toEqual([
        { method: 'endAll', args: [ALICE.id, { kind: 'session', exceptHash: 'current' }] },
      ]);
    });

    it('a wrong current password is a 400 counted as a failed login, and changes nothing', async () => {
      const fakes = setup({
        users: { credentialsById: () => Promise.resolve(account as never) },
        passwords: { verify: () => Promise.resolve(false) },
        throttle: open,
      });
      await expect(fakes.service.changePassword(caller, body, ADDRESS)).rejects.toBeInstanceOf(
        BadRequestException,
      );
      expect(fakes.throttle.mocks.failedLogin).toHaveBeenCalledWith('ada@example.com', ADDRESS);
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
        queue: { add: step('queue', { id: 'delete-account' }) },
        users: { findById, remove: step('account', true) },
        tokens: { endAll: step('credentials', 2) },
        cache: { invalidate: step('cache', undefined) },
      });
      await service.deleteAccount(caller);
      expect(order).toEqual(['queue', 'account', 'credentials', 'cache']);
      expect(queue.mocks.add).toHaveBeenCalledWith(
        'delete-account',
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
        queue: { add: () => Promise.reject(new Error('redis away')) },
        users: { findById, remove: () => Promise.resolve(true) },
      });
      await expect(service.deleteAccount(caller)).rejects.toMatchObject({ status: 503 });
      expect(users.mocks.remove).not.toHaveBeenCalled();
    });
  });
});
