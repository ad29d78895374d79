import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Representation } from '../cache/cache-entry.js';
import type { CacheKeyFactory } from '../cache/cache-key.factory.js';
import type { Lookup, ResponseCache } from '../cache/response-cache.service.js';
import { loadConfig } from '../config/configuration.js';
import { etagOf } from '../http/entity-tags.js';
import { ALICE, BOB, LEGACY } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import { REFUSED_TOKEN_MS } from './refused-tokens.js';
import { Authenticator, SESSION_ENTRY_MS, sessionEntryName } from './authenticator.js';
import type { OwnerScope } from './owner-scope.js';
import { newToken } from './bearer-token.js';
import { ALL_SCOPES } from './scopes.js';
import type { LiveSession, SessionsRepository } from './sessions.repository.js';

const DAY_MS = 24 * 3600 * 1000;
/** The clock of every test: Date.now() answers this. */
const NOW = Date.parse('2030-01-01T09:00:00.000Z');
const config = loadConfig({});
const IDLE_MS = config.sessionIdleDays * DAY_MS;
const EPOCH = '7';
/** The view key this process already knows for the request (CacheKeyFactory's memo). */
const VIEW = 'list?limit=5';
const body = '{"items":[],"next_cursor":null}';
const cached: Representation = { body, etag: etagOf(body) };

/** A request with this Authorization header (or none). */
const request = (authorization?: string, method = 'GET') =>
  ({
    method,
    headers: authorization === undefined ? {} : { authorization },
  }) as FastifyRequest;

/** What the cache's one read finds: the session entry (`side[0]`) and the view. */
const lookup = (entry?: string, view?: Representation): Lookup => ({
  epoch: EPOCH,
  stamp: `${EPOCH}.3`,
  cached: view,
  side: [entry],
});

/** ALICE's session in MongoDB: used just now, ending in the idle days, expiring in 90. */
const live = (fields: Partial<LiveSession> = {}): LiveSession => ({
  ownerId: ALICE.id,
  kind: 'session',
  scopes: ALL_SCOPES,
  endsAt: NOW + IDLE_MS - 1_000,
  expiresAt: NOW + 90 * DAY_MS,
  lastUsedAt: NOW - 1_000,
  ...fields,
});

interface Options {
  found?: Lookup;
  session?: LiveSession | null;
  legacyId?: string;
  touch?: () => Promise<boolean>;
}

/** The authenticator over fakes: the cache finds `found`, MongoDB has `session`. */
function setup({ found, session = null, legacyId, touch }: Options = {}) {
  const cache = strictFake<ResponseCache>('cache', {
    lookup: () => Promise.resolve(found),
    fillSide: () => Promise.resolve(),
    blockSide: () => Promise.resolve(),
  });
  const keys = strictFake<CacheKeyFactory>('keys', { keyOfValidated: () => VIEW });
  const sessions = strictFake<SessionsRepository>('sessions', {
    findLive: () => Promise.resolve(session),
    touch: touch ?? (() => Promise.resolve(true)),
  });
  const legacy = strictFake<OwnerScope>('legacy', {
    is: (ownerId: string) => Promise.resolve(ownerId === legacyId),
  });
  // LEGACY_OWNER set only where a test names its account, as a deployment sets it.
  const settings =
    legacyId === undefined ? config : { ...config, legacyOwner: 'legacy@example.com' };
  const authenticator = new Authenticator(cache, keys, sessions, legacy, settings);
  return { authenticator, cache, keys, sessions, legacy };
}

describe('Authenticator', () => {
  const alice = newToken('session', ALICE.id);
  const bearer = `Bearer ${alice.token}`;

  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });
  afterEach(() => jest.restoreAllMocks());

  describe('a request without a session token', () => {
    it.each([
      ['no Authorization header', undefined],
      ['another scheme', `Basic ${alice.token}`],
      ['a bearer token of another shape', 'Bearer abc.def'],
      ['an empty bearer token', 'Bearer    '],
      ['a session token cut short', bearer.slice(0, -1)],
    ])('%s: no principal, and neither Redis nor MongoDB is read', async (_case, header) => {
      const { authenticator, cache, keys, sessions } = setup({
        found: lookup(`${ALICE.id} ${NOW + 1_000}`),
        session: live(),
      });
      const sent = request(header);
      await authenticator.authenticate(sent);
      expect(sent.principal).toBeUndefined();
      expect(sent.cachedView).toBeUndefined();
      expect(cache.mocks.lookup).not.toHaveBeenCalled();
      expect(keys.mocks.keyOfValidated).not.toHaveBeenCalled();
      expect(sessions.mocks.findLive).not.toHaveBeenCalled();
    });
  });

  describe('a session in Redis', () => {
    it('sets the principal and the cached view from the one read, without MongoDB', async () => {
      const { authenticator, cache, keys, sessions } = setup({
        found: lookup(`${ALICE.id} ${NOW + 1}`, cached),
      });
      const sent = request(bearer);
      await authenticator.authenticate(sent);

      expect(sent.principal).toEqual({
        id: ALICE.id,
        holdsOwnerless: false,
        credential: { kind: 'session', hash: alice.hash },
        scopes: ALL_SCOPES,
      });
      expect(sent.cachedView).toBe(cached);
      expect(keys.mocks.keyOfValidated).toHaveBeenCalledWith(sent);
      expect(cache.calls).toEqual([
        { method: 'lookup', args: [ALICE.id, VIEW, [sessionEntryName(alice.hash)]] },
      ]);
      expect(sessions.mocks.findLive).not.toHaveBeenCalled();
      expect(sessions.mocks.touch).not.toHaveBeenCalled();
    });

    it('names the entry by the hash of the token, never the token', () => {
      expect(sessionEntryName(alice.hash)).toBe(`session:${alice.hash}`);
      expect(sessionEntryName(alice.hash)).not.toContain(alice.token);
    });

    it('leaves cachedView unset when the view is not cached', async () => {
      const { authenticator } = setup({ found: lookup(`${ALICE.id} ${NOW + 60_000}`) });
      const sent = request(bearer);
      await authenticator.authenticate(sent);
      expect(sent.principal?.id).toBe(ALICE.id);
      expect(sent.cachedView).toBeUndefined();
    });

    it("marks LEGACY_OWNER's token as holding what has no owner", async () => {
      const legacyToken = newToken('session', LEGACY.id);
      const { authenticator, legacy } = setup({
        found: lookup(`${LEGACY.id} ${NOW + 60_000}`),
        legacyId: LEGACY.id,
      });
      const sent = request(`Bearer ${legacyToken.token}`);
      await authenticator.authenticate(sent);
      expect(sent.principal).toEqual({
        id: LEGACY.id,
        holdsOwnerless: true,
        credential: { kind: 'session', hash: legacyToken.hash },
        scopes: ALL_SCOPES,
      });
      expect(legacy.mocks.is).toHaveBeenCalledWith(LEGACY.id);
    });

    it('asks nothing about LEGACY_OWNER when it is unset', async () => {
      const { authenticator, legacy } = setup({ found: lookup(`${ALICE.id} ${NOW + 60_000}`) });
      const sent = request(bearer);
      await authenticator.authenticate(sent);
      expect(sent.principal?.holdsOwnerless).toBe(false);
      expect(legacy.mocks.is).not.toHaveBeenCalled();
    });

    it.each([
      ['has just ended', `${ALICE.id} ${NOW}`],
      ['ended long ago', `${ALICE.id} ${NOW - DAY_MS}`],
      ["is another owner's", `${BOB.id} ${NOW + 60_000}`],
      ['is unreadable', 'garbage'],
    ])('refuses an entry that %s, without asking MongoDB', async (_case, entry) => {
      const { authenticator, cache, sessions } = setup({
        found: lookup(entry, cached),
        session: live(),
      });
      const sent = request(bearer);
      await authenticator.authenticate(sent);
      expect(sent.principal).toBeUndefined();
      expect(sent.cachedView).toBeUndefined();
      expect(sessions.mocks.findLive).not.toHaveBeenCalled();
      expect(cache.mocks.fillSide).not.toHaveBeenCalled();
    });
  });

  describe('a session not in Redis', () => {
    it('reads MongoDB, then stores the session for a minute under the epoch read', async () => {
      const session = live();
      const { authenticator, cache, sessions } = setup({
        found: lookup(undefined, cached),
        session,
      });
      const sent = request(bearer);
      await authenticator.authenticate(sent);

      expect(sessions.mocks.findLive).toHaveBeenCalledWith(alice.hash);
      expect(sent.principal).toEqual({
        id: ALICE.id,
        holdsOwnerless: false,
        credential: { kind: 'session', hash: alice.hash },
        scopes: ALL_SCOPES,
      });
      expect(sent.cachedView).toBe(cached);
      expect(cache.calls.map((call) => call.method)).toEqual(['lookup', 'fillSide']);
      expect(cache.mocks.fillSide).toHaveBeenCalledWith(
        sessionEntryName(alice.hash),
        EPOCH,
        `${ALICE.id} ${session.endsAt} *`,
        SESSION_ENTRY_MS,
      );
    });

    it('stores a session ending within the minute only until its end', async () => {
      const { authenticator, cache } = setup({
        found: lookup(),
        session: live({ endsAt: NOW + 10_000 }),
      });
      const sent = request(bearer);
      await authenticator.authenticate(sent);
      expect(sent.principal?.id).toBe(ALICE.id);
      const [[, , stored, ttl]] = cache.mocks.fillSide.mock.calls as unknown as [
        [string, string, string, number],
      ];
      expect(stored).toBe(`${ALICE.id} ${NOW + 10_000} *`);
      expect(ttl).toBe(10_000);
      expect(ttl).toBeLessThanOrEqual(SESSION_ENTRY_MS);
    });

    it('what it stores reads back as a live session on the next request', async () => {
      const first = setup({ found: lookup(), session: live() });
      await first.authenticator.authenticate(request(bearer));
      const [[, , stored]] = first.cache.mocks.fillSide.mock.calls as unknown as [
        [string, string, string],
      ];

      const second = setup({ found: lookup(stored) });
      const sent = request(bearer);
      await second.authenticator.authenticate(sent);
      expect(sent.principal?.id).toBe(ALICE.id);
      expect(second.sessions.mocks.findLive).not.toHaveBeenCalled();
    });

    it('refuses a session MongoDB does not have live, and stores nothing', async () => {
      const { authenticator, cache, sessions } = setup({ found: lookup(undefined, cached) });
      const sent = request(bearer);
      await authenticator.authenticate(sent);
      expect(sent.principal).toBeUndefined();
      expect(sent.cachedView).toBeUndefined();
      expect(sessions.mocks.findLive).toHaveBeenCalledWith(alice.hash);
      expect(cache.mocks.fillSide).not.toHaveBeenCalled();
      expect(sessions.mocks.touch).not.toHaveBeenCalled();
    });

    it('refuses a session of another owner than the token names, and stores nothing', async () => {
      const { authenticator, cache } = setup({
        found: lookup(),
        session: live({ ownerId: BOB.id }),
      });
      const sent = request(bearer);
      await authenticator.authenticate(sent);
      expect(sent.principal).toBeUndefined();
      expect(cache.mocks.fillSide).not.toHaveBeenCalled();
    });
  });

  describe('with Redis away (no lookup)', () => {
    it('reads MongoDB for every request, and stores nothing', async () => {
      const { authenticator, cache, sessions } = setup({ found: undefined, session: live() });
      for (let i = 0; i < 2; i++) {
        const sent = request(bearer);
        await authenticator.authenticate(sent);
        expect(sent.principal).toEqual({
          id: ALICE.id,
          holdsOwnerless: false,
          credential: { kind: 'session', hash: alice.hash },
          scopes: ALL_SCOPES,
        });
        expect(sent.cachedView).toBeUndefined();
      }
      expect(sessions.mocks.findLive).toHaveBeenCalledTimes(2);
      expect(cache.mocks.fillSide).not.toHaveBeenCalled();
    });

    it('refuses a session MongoDB does not have', async () => {
      const { authenticator } = setup({ found: undefined, session: null });
      const sent = request(bearer);
      await authenticator.authenticate(sent);
      expect(sent.principal).toBeUndefined();
    });
  });

  describe("recording a session's use", () => {
    it('does not write a use recorded within the last minute', async () => {
      const { authenticator, sessions } = setup({
        found: lookup(),
        session: live({ lastUsedAt: NOW - SESSION_ENTRY_MS + 1 }),
      });
      await authenticator.authenticate(request(bearer));
      expect(sessions.mocks.touch).not.toHaveBeenCalled();
    });

    it('writes a use over a minute old, moving the end by the idle days', async () => {
      const { authenticator, cache, sessions } = setup({
        found: lookup(),
        session: live({ lastUsedAt: NOW - SESSION_ENTRY_MS - 1, endsAt: NOW + 5_000 }),
      });
      await authenticator.authenticate(request(bearer));
      const endsAt = NOW + IDLE_MS;
      expect(sessions.mocks.touch).toHaveBeenCalledWith(
        alice.hash,
        new Date(NOW),
        new Date(endsAt),
        new Date(NOW - SESSION_ENTRY_MS),
      );
      // The entry carries the new end, and lives its full minute.
      expect(cache.mocks.fillSide).toHaveBeenCalledWith(
        sessionEntryName(alice.hash),
        EPOCH,
        `${ALICE.id} ${endsAt} *`,
        SESSION_ENTRY_MS,
      );
    });

    it('never moves the end past the absolute expiry', async () => {
      const expiresAt = NOW + 2 * DAY_MS;
      const { authenticator, sessions } = setup({
        found: undefined,
        session: live({ lastUsedAt: NOW - DAY_MS, endsAt: NOW + 1_000, expiresAt }),
      });
      await authenticator.authenticate(request(bearer));
      const [[, , endsAt]] = sessions.mocks.touch.mock.calls as unknown as [[string, Date, Date]];
      expect(endsAt).toEqual(new Date(expiresAt));
    });

    it('a failed write is logged, and the request goes on authenticated', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const { authenticator } = setup({
        found: undefined,
        session: live({ lastUsedAt: NOW - DAY_MS }),
        touch: () => Promise.reject(new Error('mongodb away')),
      });
      const sent = request(bearer);
      await authenticator.authenticate(sent);
      expect(sent.principal?.id).toBe(ALICE.id);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('mongodb away'));
    });
  });

  describe('the view looked up with the session', () => {
    it.each(['POST', 'PATCH', 'DELETE', 'HEAD'])('%s asks for no view', async (method) => {
      const { authenticator, cache, keys } = setup({ found: lookup(`${ALICE.id} ${NOW + 1_000}`) });
      const sent = request(bearer, method);
      await authenticator.authenticate(sent);
      expect(sent.principal?.id).toBe(ALICE.id);
      expect(keys.mocks.keyOfValidated).not.toHaveBeenCalled();
      expect(cache.mocks.lookup).toHaveBeenCalledWith(ALICE.id, undefined, [
        sessionEntryName(alice.hash),
      ]);
    });

    it('GET asks for no view when this process has not keyed the request yet', async () => {
      const { authenticator, cache, keys } = setup({ found: lookup(`${ALICE.id} ${NOW + 1_000}`) });
      keys.mocks.keyOfValidated.mockReturnValue(undefined);
      const sent = request(bearer);
      await authenticator.authenticate(sent);
      expect(keys.mocks.keyOfValidated).toHaveBeenCalledWith(sent);
      expect(cache.mocks.lookup).toHaveBeenCalledWith(ALICE.id, undefined, [
        sessionEntryName(alice.hash),
      ]);
    });
  });

  describe('a personal access token', () => {
    const pat = newToken('token', ALICE.id);
    const patBearer = `Bearer ${pat.token}`;
    const readOnly = live({ kind: 'token', scopes: ['todos:read'] });

    it('takes its scopes from its Redis entry, and is served the cached view with todos:read', async () => {
      const { authenticator, sessions } = setup({
        found: lookup(`${ALICE.id} ${NOW + 1_000} todos:read,exports`, cached),
      });
      const sent = request(patBearer);
      await authenticator.authenticate(sent);
      expect(sent.principal).toEqual({
        id: ALICE.id,
        holdsOwnerless: false,
        credential: { kind: 'token', hash: pat.hash },
        scopes: ['todos:read', 'exports'],
      });
      expect(sent.cachedView).toBe(cached);
      expect(sessions.mocks.findLive).not.toHaveBeenCalled();
    });

    it('is never served a cached view without todos:read', async () => {
      const { authenticator } = setup({
        found: lookup(`${ALICE.id} ${NOW + 1_000} exports`, cached),
      });
      const sent = request(patBearer);
      await authenticator.authenticate(sent);
      expect(sent.principal?.scopes).toEqual(['exports']);
      expect(sent.cachedView).toBeUndefined();
    });

    it('reads an entry of two fields (written before tokens) as a session, every scope', async () => {
      const { authenticator } = setup({ found: lookup(`${ALICE.id} ${NOW + 1_000}`) });
      const sent = request(bearer);
      await authenticator.authenticate(sent);
      expect(sent.principal?.scopes).toEqual(ALL_SCOPES);
    });

    it('from MongoDB: stores its scopes in the entry', async () => {
      const { authenticator, cache } = setup({ found: lookup(), session: readOnly });
      const sent = request(patBearer);
      await authenticator.authenticate(sent);
      expect(sent.principal?.scopes).toEqual(['todos:read']);
      expect(cache.mocks.fillSide).toHaveBeenCalledWith(
        sessionEntryName(pat.hash),
        EPOCH,
        `${ALICE.id} ${readOnly.endsAt} todos:read`,
        SESSION_ENTRY_MS,
      );
    });

    it('a use never moves its end: a token ends when it expires', async () => {
      const token = live({
        kind: 'token',
        scopes: ['todos:read'],
        lastUsedAt: NOW - DAY_MS,
        endsAt: NOW + 5 * DAY_MS,
        expiresAt: NOW + 5 * DAY_MS,
      });
      const { authenticator, sessions } = setup({ found: undefined, session: token });
      await authenticator.authenticate(request(patBearer));
      const [[, , endsAt]] = sessions.mocks.touch.mock.calls as unknown as [[string, Date, Date]];
      expect(endsAt).toEqual(new Date(NOW + 5 * DAY_MS));
    });

    it("refuses a record of another kind than the token's prefix says", async () => {
      const { authenticator, cache } = setup({ found: lookup(), session: live() });
      const sent = request(patBearer);
      await authenticator.authenticate(sent);
      expect(sent.principal).toBeUndefined();
      expect(cache.mocks.fillSide).not.toHaveBeenCalled();
    });
  });

  describe('a token MongoDB refused', () => {
    it('is refused again for REFUSED_TOKEN_MS without a read of Redis or MongoDB, then read again', async () => {
      const { authenticator, cache, sessions } = setup({ found: lookup(undefined), session: null });
      for (let i = 0; i < 3; i++) {
        const sent = request(bearer);
        await authenticator.authenticate(sent);
        expect(sent.principal).toBeUndefined();
      }
      expect(cache.mocks.lookup).toHaveBeenCalledTimes(1);
      expect(sessions.mocks.findLive).toHaveBeenCalledTimes(1);
      jest.spyOn(Date, 'now').mockReturnValue(NOW + REFUSED_TOKEN_MS);
      await authenticator.authenticate(request(bearer));
      expect(sessions.mocks.findLive).toHaveBeenCalledTimes(2);
    });

    it('is not remembered when MongoDB failed: the next request reads again', async () => {
      const { authenticator, sessions } = setup({ found: lookup(undefined) });
      sessions.mocks.findLive.mockImplementation(() => Promise.reject(new Error('mongo away')));
      await expect(authenticator.authenticate(request(bearer))).rejects.toThrow('mongo away');
      await expect(authenticator.authenticate(request(bearer))).rejects.toThrow('mongo away');
      expect(sessions.mocks.findLive).toHaveBeenCalledTimes(2);
    });
  });
});
