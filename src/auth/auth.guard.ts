import {
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS, type Access } from './access.decorator.js';
import { LegacyOwner } from './legacy-owner.js';
import { bearerToken } from './session-token.js';

/**
 * Every route needs a valid bearer token unless it says otherwise (`@Public()`,
 * `@TokenOrLegacyOwner()`): a route added without thought is closed, not open. The token was
 * checked before Nest, at `onRequest` (`installAuthentication`), where the cache's fast path
 * needs it too; this guard only reads the outcome. 401 carries `WWW-Authenticate` (RFC 6750).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly legacy: LegacyOwner,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access === 'public') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (request.principal) return true;
    const sent = request.headers.authorization !== undefined;
    if (access === 'legacy' && !sent) {
      const id = await this.legacy.id();
      if (id !== undefined) {
        request.principal = { id, holdsOwnerless: true };
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
}
