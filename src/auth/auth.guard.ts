import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS, REQUIRED_SCOPE, type Access, type ScopeRule } from './access.decorator.js';
import { bearerToken, readToken } from './bearer-token.js';
import { OwnerScope } from './owner-scope.js';
import type { Principal } from './owner.js';
import { ALL_SCOPES } from './scopes.js';
import { SessionsRepository } from './sessions.repository.js';

/**
 * Every route needs a valid bearer token unless it says otherwise (`@Public()`,
 * `@TokenOrLegacyOwner()`), and a session token unless it names the scope a personal access
 * token needs (`@RequiresScope()`): a route added without thought is closed, not open. The
 * token was checked before Nest, at `onRequest` (`installAuthentication`), where the cache's
 * fast path needs it too; this guard only reads the outcome. 401 and 403 carry
 * `WWW-Authenticate` (RFC 6750 §3.1). A 403 is thrown before the cache's interceptor runs,
 * so it is never cached.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly legacy: OwnerScope,
    private readonly sessions: SessionsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access === 'public') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (request.principal) return this.permits(context, request, request.principal);
    const sent = request.headers.authorization !== undefined;
    if (access === 'ending' && (await this.endingSession(request))) return true;
    if (access === 'legacy' && !sent) {
      const id = await this.legacy.id();
      if (id !== undefined) {
        request.principal = { id, holdsOwnerless: true, scopes: ALL_SCOPES };
        return true;
      }
    }
    // RFC 6750 §3.1: an error code only for a bearer token that failed, not for no token or
    // credentials of another scheme.
    const failed = bearerToken(request.headers.authorization) !== undefined;
    void http
      .getResponse<FastifyReply>()
      .header('www-authenticate', failed ? 'Bearer error="invalid_token"' : 'Bearer');
    throw new UnauthorizedException(
      sent ? 'the bearer token is invalid or has ended' : 'a bearer token is required',
    );
  }

  /**
   * A session token a request ended (its end recorded, told to every process or not yet): its
   * holder may retry or repeat the logout (the token proves it), and nothing else.
   */
  private async endingSession(request: FastifyRequest): Promise<boolean> {
    const token = bearerToken(request.headers.authorization);
    const read = token === undefined ? undefined : readToken(token);
    if (read?.kind !== 'session') return false;
    if ((await this.sessions.endedOwnerOf(read.hash)) !== read.ownerId) return false;
    const credential = { kind: read.kind, hash: read.hash };
    request.principal = { id: read.ownerId, holdsOwnerless: false, credential, scopes: [] };
    return true;
  }

  /** Whether the caller's credential may call the route: 403 naming what it lacks otherwise. */
  private permits(context: ExecutionContext, request: FastifyRequest, principal: Principal): true {
    const rule = this.reflector.getAllAndOverride<ScopeRule | undefined>(REQUIRED_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (rule === undefined) {
      if (principal.credential?.kind !== 'token') return true;
      void reply.header('www-authenticate', 'Bearer error="insufficient_scope"');
      throw new ForbiddenException(
        'this route takes a session token (from POST /auth/login), not a personal access token',
      );
    }
    const scope = typeof rule === 'function' ? rule(request) : rule;
    if (scope === undefined || principal.scopes.includes(scope)) return true;
    void reply.header('www-authenticate', `Bearer error="insufficient_scope", scope="${scope}"`);
    throw new ForbiddenException(`this token lacks the scope ${scope}`);
  }
}
