import {
  ForbiddenException,
  UnauthorizedException,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ALICE, LEGACY } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import { Public, RequiresScope, SessionOrEnding, TokenOrLegacyOwner } from './access.decorator.js';
import { newToken } from './bearer-token.js';
import { AuthGuard } from './auth.guard.js';
import type { SessionsRepository } from './sessions.repository.js';
import type { OwnerScope } from './owner-scope.js';
import type { Principal } from './owner.js';
import { ALL_SCOPES } from './scopes.js';

/** Routes as a controller declares them: the guard reads the metadata the decorators set. */
class Routes {
  @Public()
  health() {}

  @TokenOrLegacyOwner()
  original() {}

  closed() {}

  @RequiresScope('todos:write')
  write() {}

  @SessionOrEnding()
  logout() {}

  @RequiresScope((request) => ((request.query as { q?: string }).q === 'e' ? 'exports' : undefined))
  dynamic() {}
}

/** A controller whose routes are all the original's, but one made public. */
@TokenOrLegacyOwner()
class OriginalRoutes {
  list() {}

  @Public()
  open() {}
}

/**
 * The ExecutionContext of a request to `controller.prototype[route]`, with `authorization`
 * sent (or not) and the `principal` the authentication hook set (or not), and the headers
 * the guard set on the reply.
 */
function fakeContext<T>(
  controller: Type<T>,
  route: keyof T & string,
  { authorization, principal }: { authorization?: string; principal?: Principal } = {},
) {
  const request = {
    headers: authorization === undefined ? {} : { authorization },
    principal,
    query: { q: 'e' },
  } as unknown as FastifyRequest;
  const headers: Record<string, string> = {};
  const reply = strictFake<FastifyReply>('reply', {
    header: (name: string, value: string) => {
      headers[name] = value;
    },
  });
  const http = strictFake<ReturnType<ExecutionContext['switchToHttp']>>('http', {
    getRequest: () => request,
    getResponse: () => reply,
  });
  const context = strictFake<ExecutionContext>('context', {
    getHandler: () => (controller.prototype as T)[route],
    getClass: () => controller,
    switchToHttp: () => http,
  });
  return { context, request, headers };
}

/** LEGACY_OWNER's account as `OwnerScope.id()` finds it: registered, not, or unset. */
const legacyOwner = (id: string | undefined) =>
  strictFake<OwnerScope>('legacy', { id: () => Promise.resolve(id) });

const guardWith = (legacy: OwnerScope, sessions = strictFake<SessionsRepository>('sessions')) =>
  new AuthGuard(new Reflector(), legacy, sessions);

const NO_TOKEN = 'a bearer token is required';
const INVALID_TOKEN = 'the bearer token is invalid or has ended';

/** Checks that `refused` rejects with `status` (the class, not only the message) saying `message`. */
async function expectRefused(
  refused: Promise<boolean>,
  status: typeof UnauthorizedException | typeof ForbiddenException,
  message: string,
) {
  const error = await refused.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(status);
  expect((error as Error).message).toBe(message);
}

/** A 401 saying `message`. */
const expectUnauthorized = (refused: Promise<boolean>, message: string) =>
  expectRefused(refused, UnauthorizedException, message);

describe('AuthGuard', () => {
  describe('a @Public() route', () => {
    it('passes without a principal, a header or any lookup', async () => {
      const legacy = legacyOwner(LEGACY.id);
      const { context, request, headers } = fakeContext(Routes, 'health');
      await expect(guardWith(legacy).canActivate(context)).resolves.toBe(true);
      expect(request.principal).toBeUndefined();
      expect(headers).toEqual({});
      expect(legacy.mocks.id).not.toHaveBeenCalled();
    });

    it('passes with an invalid token sent too', async () => {
      const { context, headers } = fakeContext(Routes, 'health', { authorization: 'Bearer no' });
      await expect(guardWith(legacyOwner(undefined)).canActivate(context)).resolves.toBe(true);
      expect(headers).toEqual({});
    });

    it("overrides its controller's @TokenOrLegacyOwner()", async () => {
      const legacy = legacyOwner(undefined);
      const { context, request } = fakeContext(OriginalRoutes, 'open');
      await expect(guardWith(legacy).canActivate(context)).resolves.toBe(true);
      expect(request.principal).toBeUndefined();
      expect(legacy.mocks.id).not.toHaveBeenCalled();
    });
  });

  describe('a route without a marker', () => {
    it('passes the principal of a valid token, untouched', async () => {
      const principal: Principal = { ...ALICE, credential: { kind: 'session', hash: 'h' } };
      const legacy = legacyOwner(LEGACY.id);
      const { context, request, headers } = fakeContext(Routes, 'closed', {
        authorization: 'Bearer valid',
        principal,
      });
      await expect(guardWith(legacy).canActivate(context)).resolves.toBe(true);
      expect(request.principal).toBe(principal);
      expect(headers).toEqual({});
      expect(legacy.mocks.id).not.toHaveBeenCalled();
    });

    it('refuses a request without a token: 401, WWW-Authenticate: Bearer', async () => {
      const { context, request, headers } = fakeContext(Routes, 'closed');
      const refused = guardWith(legacyOwner(undefined)).canActivate(context);
      await expectUnauthorized(refused, NO_TOKEN);
      expect(headers).toEqual({ 'www-authenticate': 'Bearer' });
      expect(request.principal).toBeUndefined();
    });

    it('refuses an invalid token: 401, WWW-Authenticate: Bearer error="invalid_token"', async () => {
      const { context, headers } = fakeContext(Routes, 'closed', {
        authorization: 'Bearer tdo_s_ended',
      });
      await expectUnauthorized(
        guardWith(legacyOwner(undefined)).canActivate(context),
        INVALID_TOKEN,
      );
      expect(headers).toEqual({ 'www-authenticate': 'Bearer error="invalid_token"' });
    });

    it('never acts for LEGACY_OWNER, even when it is set', async () => {
      const legacy = legacyOwner(LEGACY.id);
      const { context, request, headers } = fakeContext(Routes, 'closed');
      await expectUnauthorized(guardWith(legacy).canActivate(context), NO_TOKEN);
      expect(headers).toEqual({ 'www-authenticate': 'Bearer' });
      expect(request.principal).toBeUndefined();
      expect(legacy.mocks.id).not.toHaveBeenCalled();
    });
  });

  describe('a @TokenOrLegacyOwner() route', () => {
    it("acts for LEGACY_OWNER's account without a token, when it is registered", async () => {
      const legacy = legacyOwner(LEGACY.id);
      const { context, request, headers } = fakeContext(Routes, 'original');
      await expect(guardWith(legacy).canActivate(context)).resolves.toBe(true);
      expect(request.principal).toEqual({
        id: LEGACY.id,
        holdsOwnerless: true,
        scopes: ALL_SCOPES,
      });
      expect(headers).toEqual({});
      expect(legacy.mocks.id).toHaveBeenCalledTimes(1);
    });

    it("takes the marker from the route's controller too", async () => {
      const { context, request } = fakeContext(OriginalRoutes, 'list');
      await expect(guardWith(legacyOwner(LEGACY.id)).canActivate(context)).resolves.toBe(true);
      expect(request.principal).toEqual({
        id: LEGACY.id,
        holdsOwnerless: true,
        scopes: ALL_SCOPES,
      });
    });

    it('refuses a request without a token when LEGACY_OWNER names no account (or is unset)', async () => {
      const legacy = legacyOwner(undefined);
      const { context, request, headers } = fakeContext(Routes, 'original');
      await expectUnauthorized(guardWith(legacy).canActivate(context), NO_TOKEN);
      expect(headers).toEqual({ 'www-authenticate': 'Bearer' });
      expect(request.principal).toBeUndefined();
      expect(legacy.mocks.id).toHaveBeenCalledTimes(1);
    });

    it('refuses an invalid token rather than falling back to LEGACY_OWNER', async () => {
      const legacy = legacyOwner(LEGACY.id);
      const { context, request, headers } = fakeContext(Routes, 'original', {
        authorization: 'Bearer tdo_s_ended',
      });
      await expectUnauthorized(guardWith(legacy).canActivate(context), INVALID_TOKEN);
      expect(headers).toEqual({ 'www-authenticate': 'Bearer error="invalid_token"' });
      expect(request.principal).toBeUndefined();
      expect(legacy.mocks.id).not.toHaveBeenCalled();
    });

    it("acts for a valid token's owner, not LEGACY_OWNER", async () => {
      const legacy = legacyOwner(LEGACY.id);
      const principal: Principal = { ...ALICE, credential: { kind: 'session', hash: 'h' } };
      const { context, request } = fakeContext(Routes, 'original', {
        authorization: 'Bearer valid',
        principal,
      });
      await expect(guardWith(legacy).canActivate(context)).resolves.toBe(true);
      expect(request.principal).toBe(principal);
      expect(legacy.mocks.id).not.toHaveBeenCalled();
    });
  });

  describe('scopes', () => {
    const token = (scopes: Principal['scopes']): Principal => ({
      ...ALICE,
      credential: { kind: 'token', hash: 'h' },
      scopes,
    });

    const forbidden = (refused: Promise<boolean>, message: string) =>
      expectRefused(refused, ForbiddenException, message);

    it('passes a token that holds the scope the route needs', async () => {
      const { context } = fakeContext(Routes, 'write', { principal: token(['todos:write']) });
      await expect(guardWith(legacyOwner(undefined)).canActivate(context)).resolves.toBe(true);
    });

    it('refuses a token without it: 403 naming the scope, and WWW-Authenticate saying it', async () => {
      const { context, headers } = fakeContext(Routes, 'write', {
        principal: token(['todos:read', 'exports']),
      });
      await forbidden(
        guardWith(legacyOwner(undefined)).canActivate(context),
        'this token lacks the scope todos:write',
      );
      expect(headers).toEqual({
        'www-authenticate': 'Bearer error="insufficient_scope", scope="todos:write"',
      });
    });

    it('reads a scope decided by the request', async () => {
      const { context } = fakeContext(Routes, 'dynamic', { principal: token(['todos:read']) });
      await forbidden(
        guardWith(legacyOwner(undefined)).canActivate(context),
        'this token lacks the scope exports',
      );
    });

    it('passes a session on any scoped route: it holds every scope', async () => {
      const principal: Principal = { ...ALICE, credential: { kind: 'session', hash: 'h' } };
      const { context } = fakeContext(Routes, 'write', { principal });
      await expect(guardWith(legacyOwner(undefined)).canActivate(context)).resolves.toBe(true);
    });

    it('refuses any token, whatever its scopes, on a route that names none', async () => {
      const { context, headers } = fakeContext(Routes, 'closed', { principal: token(ALL_SCOPES) });
      await forbidden(
        guardWith(legacyOwner(undefined)).canActivate(context),
        'this route takes a session token (from POST /auth/login), not a personal access token',
      );
      expect(headers).toEqual({ 'www-authenticate': 'Bearer error="insufficient_scope"' });
    });
  });

  describe('a @SessionOrEnding() route (logout)', () => {
    const { token, hash } = newToken('session', ALICE.id);
    const ending = (owner: string | undefined) =>
      strictFake<SessionsRepository>('sessions', { endedOwnerOf: () => Promise.resolve(owner) });

    it("lets in a session token whose end a request recorded, as its owner's, with no scope", async () => {
      const sessions = ending(ALICE.id);
      const { context, request } = fakeContext(Routes, 'logout', {
        authorization: `Bearer ${token}`,
      });
      await expect(guardWith(legacyOwner(undefined), sessions).canActivate(context)).resolves.toBe(
        true,
      );
      expect(sessions.calls).toEqual([{ method: 'endedOwnerOf', args: [hash] }]);
      expect(request.principal).toEqual({
        id: ALICE.id,
        holdsOwnerless: false,
        credential: { kind: 'session', hash },
        scopes: [],
      });
    });

    it('refuses a token no request ended (forged, or ended by time) with the 401', async () => {
      const { context, request } = fakeContext(Routes, 'logout', {
        authorization: `Bearer ${token}`,
      });
      const guard = guardWith(legacyOwner(undefined), ending(undefined));
      await expectUnauthorized(guard.canActivate(context), INVALID_TOKEN);
      expect(request.principal).toBeUndefined();
    });

    it('refuses a personal access token without a lookup', async () => {
      const pat = newToken('token', ALICE.id).token;
      const { context } = fakeContext(Routes, 'logout', { authorization: `Bearer ${pat}` });
      const sessions = ending(ALICE.id);
      const guard = guardWith(legacyOwner(undefined), sessions);
      await expectUnauthorized(guard.canActivate(context), INVALID_TOKEN);
      expect(sessions.mocks.endedOwnerOf).not.toHaveBeenCalled();
    });
  });
});
