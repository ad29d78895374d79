import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './owner.js';

/** Metadata key of who may call a route; routes without it need a valid token. */
export const ACCESS = 'todo-service:access';

/** `public`: anyone (health, metrics, register, login). `legacy`: a token, or LEGACY_OWNER without one. */
export type Access = 'public' | 'legacy';

/** Anyone may call the route: no token is needed (one sent is still checked, and ignored). */
export const Public = () => SetMetadata(ACCESS, 'public' satisfies Access);

/**
 * The original's routes: a token acts for its owner; without one, for LEGACY_OWNER's account
 * when that is set (a cutover), else 401.
 */
export const TokenOrLegacyOwner = () => SetMetadata(ACCESS, 'legacy' satisfies Access);

/** The name of the bearer scheme in the OpenAPI document. */
export const BEARER_SCHEME = 'bearer';

/** Documents the route as taking the bearer token. */
export const ApiBearer = () => ApiBearerAuth(BEARER_SCHEME);

/** The authenticated caller; the guard has made sure there is one. */
export const CurrentOwner = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (!principal) throw new Error('no principal: the route is public, or the guard did not run');
    return principal;
  },
);
