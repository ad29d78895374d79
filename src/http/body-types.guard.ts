import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UnsupportedMediaTypeException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiConsumes, ApiUnsupportedMediaTypeResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorResponseDto } from '../common/error-response.dto.js';

const BODY_TYPES = 'todo-service:body-types';

/** What an operation with a body takes when it does not say: JSON. */
const DEFAULT_BODY_TYPES = ['application/json'];

/**
 * The media types an operation's body may have, for the document (`consumes`) and for
 * `BodyTypesGuard` alike, so the two cannot disagree.
 */
export const BodyTypes = (...types: string[]) =>
  applyDecorators(
    SetMetadata(BODY_TYPES, types),
    ApiConsumes(...types),
    ApiUnsupportedMediaTypeResponse({
      type: ErrorResponseDto,
      description: `The body is not ${types.join(' or ')}.`,
    }),
  );

/**
 * A body of a type the operation does not take is a 415, before it is validated (RFC 9110
 * §15.5.16). Fastify already refuses types it has no parser for; this refuses the ones it
 * parses (plain text, forms) on operations that do not take them, which would otherwise
 * reach the validation pipe and come back as a confusing 400 about missing fields.
 */
@Injectable()
export class BodyTypesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!hasBody(request)) return true;
    const accepted =
      this.reflector.get<string[] | undefined>(BODY_TYPES, context.getHandler()) ??
      DEFAULT_BODY_TYPES;
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (accepted.includes(type)) return true;
    throw new UnsupportedMediaTypeException(`the body must be ${accepted.join(' or ')}`);
  }
}

/** Whether the request has a body at all (RFC 9112 §6.3): a bodiless request has no type. */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}
