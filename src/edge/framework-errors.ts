import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_PATH_PARAM_LENGTH } from '../common/api-path-param.decorator.js';
import { SECURITY_HEADERS } from './security-headers.hook.js';

/** Fixed messages, so the rejected URL is never echoed back. */
const FRAMEWORK_ERROR_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL is malformed',
  FST_ERR_MAX_PARAM_LENGTH: `a path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters`,
};

/**
 * Fastify's router refuses a malformed URL and an over-long path parameter itself, before any
 * hook and outside Nest's exception filter. This gives those answers the same security
 * headers and `{statusCode, error, message}` shape as every other response. Both are a 400:
 * an over-long parameter is invalid input like any other the pipes refuse (the document's
 * `maxLength`), not a URI too long for the server (414, which Fastify sends by default).
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const statusCode = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 400 : (error.statusCode ?? 400);
  void reply
    .headers(SECURITY_HEADERS)
    // The request id too, which the request hooks that did not run would have sent.
    .header('x-request-id', request.id)
    .code(statusCode)
    .send({
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message: FRAMEWORK_ERROR_MESSAGES[error.code] ?? STATUS_CODES[statusCode] ?? 'Error',
    });
}
