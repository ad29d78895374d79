import { ApiParam } from '@nestjs/swagger';
import { JOB_ID, OBJECT_ID_PARAM } from './patterns.js';

/**
 * Fastify's router refuses a path parameter longer than this before any handler runs, with
 * the 400 that `answerFrameworkError` gives it.
 */
export const MAX_PATH_PARAM_LENGTH = 100;

/**
 * Documents a path parameter with the pattern its pipe enforces and the length the router
 * enforces, so the OpenAPI document says what the server refuses (a 400, either way).
 */
export const ApiPathParam = (name: string, pattern: string, description: string) =>
  ApiParam({
    name,
    description,
    schema: { type: 'string', pattern, maxLength: MAX_PATH_PARAM_LENGTH },
  });

/** The 24-hex ObjectId that ParseObjectIdPipe accepts, as the pipe and the document say it. */
export const OBJECT_ID_PATTERN = OBJECT_ID_PARAM.source;
/** The job ids that ParseJobIdPipe accepts, up to MAX_PATH_PARAM_LENGTH characters. */
export const JOB_ID_PATTERN = JOB_ID.source;
