import { createHash } from 'node:crypto';
import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiPreconditionFailedResponse, ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto.js';

/**
 * A strong entity tag (RFC 9110 §8.8.3) of a representation's bytes: a digest, so equal
 * bodies have equal tags whichever process or cache produced them, and any change of the
 * body changes it. Computed once per body: the response cache stores it beside the body.
 */
export const etagOf = (body: string): string =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** The tag of a value sent as JSON: the same bytes a cached or direct answer carries. */
export const etagOfJson = (value: unknown): string => etagOf(JSON.stringify(value));

/** The tags of an `If-Match`/`If-None-Match` list; `*` stands alone. */
const tagsOf = (header: string) => header.split(',').map((tag) => tag.trim());

const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);

/** `If-None-Match` holds for a representation tagged `etag` (weak comparison, §13.1.2). */
export function noneMatch(header: string, etag: string): boolean {
  return !tagsOf(header).some((tag) => tag === '*' || opaque(tag) === etag);
}

/**
 * `If-Match` holds for a representation tagged `etag`. Compared strongly (§13.1.1) but for one
 * allowance: the weak form of a tag this service issued matches it. nginx weakens the `ETag`
 * of every body it compresses (`W/` prefixed), so a client behind it only ever sees the weak
 * form; the tag is still the digest of the uncompressed representation, so it still proves
 * which state of the todo the client saw — which is what `If-Match` is for.
 */
export function anyMatch(header: string, etag: string): boolean {
  return tagsOf(header).some((tag) => tag === '*' || opaque(tag) === etag);
}

/** How `ETag` appears among a response's headers in the OpenAPI document. */
export const ETAG_HEADER = {
  ETag: {
    description:
      'Strong entity tag of this representation: send it as `If-None-Match` or `If-Match`.',
    schema: { type: 'string', example: '"kT3tPqF1Uq3oQ0yJ2z8Hf3bX9aA"' },
  },
};

/** `If-None-Match` and its 304, on a cacheable GET. */
export const ApiConditionalGet = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'The `ETag` of a copy the client holds: answered 304 while it is current.',
    }),
    ApiResponse({
      status: 304,
      description: 'The copy named by `If-None-Match` is current.',
      // A 304 carries the ETag a 200 would have (RFC 9110 §15.4.5), and the hook keeps it.
      headers: { ETag: { ...ETAG_HEADER.ETag, required: true } },
    }),
  );

/** `If-Match` and its 412, on a change of one todo. */
export const ApiIfMatch = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description:
        'The `ETag` the client last saw: the change is made only if the todo is still as it was.',
    }),
    ApiPreconditionFailedResponse({
      type: ErrorResponseDto,
      description: 'The todo changed since the `ETag` named by `If-Match`.',
    }),
  );
