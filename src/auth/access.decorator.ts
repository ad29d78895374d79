import {
  applyDecorators,
  createParamDecorator,
  SetMetadata,
  type ExecutionContext,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { RETRY_AFTER_HEADER } from '../http/response-headers.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './owner.js';
import type { Scope } from './scopes.js';

/** Metadata key of who may call a route; routes without it need a valid token. */
export const ACCESS = 'todo-service:access';

/**
 * `public`: anyone (health, metrics, register, login). `legacy`: a token, or LEGACY_OWNER
 * without one. `ending`: a token, or a session token a request ended, so the retry of a
 * logout answered 503 (`AccessTokens.tellEnds`) can finish it.
 */
export type Access = 'public' | 'legacy' | 'ending';

/** Anyone may call the route: no token is needed (one sent is still checked, and ignored). */
export const Public = () => SetMetadata(ACCESS, 'public' satisfies Access);

/**
 * The original's routes: a token acts for its owner; without one, for LEGACY_OWNER's account
 * when that is set (a cutover), else 401.
 */
export const TokenOrLegacyOwner = () => SetMetadata(ACCESS, 'legacy' satisfies Access);

/** A valid token, or a session token a request ended: for the retry of a logout. */
export const SessionOrEnding = () => SetMetadata(ACCESS, 'ending' satisfies Access);

/** Metadata key of the scope a route needs; a closed route without it takes sessions only. */
export const REQUIRED_SCOPE = 'todos-service:scope';

/** The scope a route needs: fixed, or read from the request (a job's queue decides its scope). */
export type ScopeRule = Scope | ((request: FastifyRequest) => Scope | undefined);

/**
 * A personal access token may call the route when it holds `scope` (sessions hold every
 * scope). A route without it takes session tokens only: a route added without thought (and
 * the account's own routes, on purpose) is closed to scripts' tokens, not open.
 */
export const RequiresScope = (
  scope: ScopeRule,
  described = typeof scope === 'string' ? `the scope ${scope}` : 'the scope the route needs',
) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description: `A personal access token without ${described}.`,
    }),
  );

/** Documents the 403 a personal access token gets on a route that takes sessions only. */
export const ApiSessionOnly = () =>
  ApiForbiddenResponse({
    type: ErrorResponseDto,
    description: 'A personal access token: this route takes a session token only.',
  });

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

/**
 * Documents the 503 of a credential's end that MongoDB holds but not every API process could
 * be told of yet (`AccessTokens.tellEnds`): the retry of the same request finishes it.
 */
export const ApiEndToldEverywhere = () =>
  ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description:
      'Ended in the database, but not every API process could be told yet (Redis is ' +
      'unavailable): retry the same request after Retry-After; it answers as a success then.',
  });

/** Documents the 429 of a password check (`LoginThrottle`). */
export const ApiPasswordThrottled = () =>
  ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: 'Too many wrong passwords for this account from this address.',
    headers: RETRY_AFTER_HEADER,
  });
