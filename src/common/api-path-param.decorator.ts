import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiUriTooLongResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

/** Fastify's router answers 414 before any handler when a path parameter is longer than this. */
export const MAX_PATH_PARAM_LENGTH = 100;

/**
 * Documents a path parameter with the pattern its pipe enforces, and the 414 that Fastify's
 * router answers for an over-long one, so the OpenAPI document says what the server does.
 */
export const ApiPathParam = (name: string, pattern: string, description: string) =>
  applyDecorators(
    ApiParam({
      name,
      description,
      schema: { type: 'string', pattern, maxLength: MAX_PATH_PARAM_LENGTH },
    }),
    ApiUriTooLongResponse({
      type: ErrorResponseDto,
      description: `A path parameter over ${MAX_PATH_PARAM_LENGTH} characters.`,
    }),
  );

/** The 24-hex ObjectId that ParseObjectIdPipe accepts, as the pipe and the document say it. */
export const OBJECT_ID_PATTERN = '^[0-9a-fA-F]{24}$';
/**
 * The job ids that ParseJobIdPipe accepts, up to MAX_PATH_PARAM_LENGTH characters (spelled
 * out: `\w` means more in other regex engines).
 */
export const JOB_ID_PATTERN = '^[A-Za-z0-9_-]+$';
