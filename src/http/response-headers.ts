import { REQUEST_ID } from '../common/patterns.js';

/**
 * Response headers as the OpenAPI document declares them, each with its schema, for the
 * decorators' `headers` and for the headers `buildOpenApiDocument` adds to every response.
 */

/** Sent on every response (`installRequestLogging`): the client's own, if well formed. */
export const REQUEST_ID_HEADER = {
  'X-Request-Id': {
    description:
      'The id of this request in the logs: the one the client sent, if it was 1-128 of `A-Z a-z 0-9 _ . : -`, else a new UUID.',
    required: true,
    schema: { type: 'string', pattern: REQUEST_ID.source },
  },
};

/** Seconds until a retry may succeed. */
export const RETRY_AFTER_HEADER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    required: true,
    schema: { type: 'integer', minimum: 1 },
  },
};

/** Where a created resource (or an accepted job's status) is. */
export const locationHeader = (description: string, example: string) => ({
  Location: {
    description,
    required: true,
    schema: { type: 'string', format: 'uri-reference', example },
  },
});
