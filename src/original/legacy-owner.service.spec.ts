import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Types } from 'mongoose';
import { loadConfig } from '../config/configuration.js';
import { ALICE, LEGACY } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import type { Account, UsersRepository } from '../auth/users.repository.js';
import { LegacyOwner } from './legacy-owner.service.js';

const EMAIL = 'legacy@example.com';
const legacyAccount: Account = {
  _id: new Types.ObjectId(LEGACY.id),
  email: EMAIL,
  created_at: new Date('2026-11-27T10:00:00.000Z'),
};

/** LegacyOwner with LEGACY_OWNER set to EMAIL, over users that find `found` for it. */
function setup(found: Account | null = legacyAccount) {
  const users = strictFake<UsersRepository>('users', {
    findLegacyOwner: () => Promise.resolve(found),
  });
  return { legacy: new LegacyOwner(loadConfig({ LEGACY_OWNER: EMAIL }), users), users };
}

describe('LegacyOwner', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2030-01-01T09:00:00.000Z') });
  });
  afterEach(() => jest.useRealTimers());

  describe('with LEGACY_OWNER unset', () => {
    it('names no account, and reads no users', async () => {
      // Any call on these users fails the test.
      const legacy = new LegacyOwner(loadConfig({}), strictFake<UsersRepository>('users'));
      expect(await legacy.id()).toBeUndefined();
      expect(await legacy.is(LEGACY.id)).toBe(false);
      expect(await legacy.is(ALICE.id)).toBe(false);
    });
  });

  describe('with LEGACY_OWNER set', () => {
    it('reserves its email, in any case, and no other', () => {
      const { legacy } = setup();
      expect(legacy.reserves(EMAIL)).toBe(true);
      expect(legacy.reserves(' Legacy@Example.COM ')).toBe(true);
      expect(legacy.reserves('legacy@example.org')).toBe(false);
      expect(new LegacyOwner(loadConfig({}), strictFake('users')).reserves(EMAIL)).toBe(false);
    });

    it('names the account of that email that the operator made (marked)', async () => {
      const { legacy, users } = setup();
      expect(await legacy.id()).toBe(LEGACY.id);
      expect(users.calls).toEqual([{ method: 'findLegacyOwner', args: [EMAIL] }]);
    });

    it('remembers it for 30 s, then reads it again', async () => {
      const { legacy, users } = setup();
      await legacy.id();
      jest.advanceTimersByTime(29_999);
      expect(await legacy.id()).toBe(LEGACY.id);
      expect(await legacy.is(LEGACY.id)).toBe(true);
      expect(users.mocks.findLegacyOwner).toHaveBeenCalledTimes(1);

      jest.advanceTimersByTime(1);
      expect(await legacy.id()).toBe(LEGACY.id);
      expect(users.mocks.findLegacyOwner).toHaveBeenCalledTimes(2);
    });

    it('is() holds for its account only', async () => {
      const { legacy, users } = setup();
      expect(await legacy.is(LEGACY.id)).toBe(true);
      expect(await legacy.is(ALICE.id)).toBe(false);
      expect(users.mocks.findLegacyOwner).toHaveBeenCalledTimes(1);
    });

    it('names no account until the operator makes it (warning once), and finds it once made', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const { legacy, users } = setup(null);
      expect(await legacy.id()).toBeUndefined();
      jest.advanceTimersByTime(30_000);
      expect(await legacy.id()).toBeUndefined();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(/legacy-account command/);
      warn.mockRestore();
      users.mocks.findLegacyOwner.mockClear();
      jest.advanceTimersByTime(30_000);
      expect(await legacy.id()).toBeUndefined();
      expect(await legacy.is(LEGACY.id)).toBe(false);
      expect(users.mocks.findLegacyOwner).toHaveBeenCalledTimes(1); // the absence is remembered too

      users.mocks.findLegacyOwner.mockImplementation(() => Promise.resolve(legacyAccount));
      jest.advanceTimersByTime(30_000);
      expect(await legacy.id()).toBe(LEGACY.id);
      expect(users.mocks.findLegacyOwner).toHaveBeenCalledTimes(2);
    });
  });
});
