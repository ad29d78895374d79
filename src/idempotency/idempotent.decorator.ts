import { applyDecorators, UseInterceptors } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiHeader,
  ApiServiceUnavailableResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { IDEMPOTENCY_KEY } from '../common/patterns.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/** How `Idempotent-Replayed` appears among a response's headers in the OpenAPI document. */
export const IDEMPOTENT_REPLAYED_HEADER = {
  'Idempotent-Replayed': {
    description:
      '`true` when this is the kept answer of an earlier request with the same `Idempotency-Key`.',
    schema: { type: 'string', enum: ['true'] },
  },
};

/** Makes a create safe to retry with `Idempotency-Key` (see `IdempotencyInterceptor`). */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        "A key of the client's choosing (1–255 visible ASCII characters) that makes a retry safe: the same key with the same body within 24 hours gets the first answer again and creates nothing.",
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY.source },
    }),
    ApiConflictResponse({
      type: ErrorResponseDto,
      description: 'A request with this `Idempotency-Key` is still in progress (retry later).',
    }),
    ApiUnprocessableEntityResponse({
      type: ErrorResponseDto,
      description: 'This `Idempotency-Key` was used with another body.',
    }),
    ApiServiceUnavailableResponse({
      type: ErrorResponseDto,
      description: 'The store of the database or of idempotency keys (Redis) is unavailable.',
    }),
  );
