import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { NOT_BLANK } from '../../common/patterns.js';
import { CONTENT_MAX_LENGTH } from '../todo.schema.js';
import { IsFutureDate } from './is-future-date.validator.js';
import { Trim } from './transforms.js';

/**
 * `content` as every body that sets it documents it. Not blank (`\S`): the content is trimmed
 * before its length is checked.
 */
export const CONTENT_SCHEMA = {
  minLength: 1,
  maxLength: CONTENT_MAX_LENGTH,
  pattern: NOT_BLANK.source,
} as const;

/** `content` as the API's own bodies check it: trimmed, then 1 to CONTENT_MAX_LENGTH characters. */
export const IsTodoContent = () =>
  applyDecorators(Trim(), IsString(), Length(1, CONTENT_MAX_LENGTH));

/**
 * `remind_at`, documented and checked: a future date-time, or `null` (or left out) for no
 * reminder. `IsOptional` passes `null` as well as a missing field, which the schema allows.
 */
export const ReminderTime = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({
      example: '2030-01-01T09:00:00.000Z',
      format: 'date-time',
      type: String,
      nullable: true,
      description,
    }),
    IsOptional(),
    IsISO8601({ strict: true, strictSeparator: true }),
    IsFutureDate(),
  );
