import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { CURSOR } from '../../common/patterns.js';
import { MatchesWithin } from '../../common/validation.js';
import { CURSOR_MAX_LENGTH } from '../page-cursor.js';
import { ToBoolean, ToInteger } from './transforms.js';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;
export const MAX_OFFSET = 10_000;

export class ListTodosQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
  })
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_OFFSET,
    description:
      'Offset into the list. Cannot be combined with `cursor`; prefer `cursor` for deep pages.',
  })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  start?: number;

  @ApiPropertyOptional({
    description:
      'The `next_cursor` of the previous page, as it was given: it is signed for its owner and list.',
    pattern: CURSOR.source,
    maxLength: CURSOR_MAX_LENGTH,
  })
  @IsOptional()
  @IsString()
  @MatchesWithin(CURSOR, CURSOR_MAX_LENGTH, 'cursor is not a cursor this API gave')
  cursor?: string;

  @ApiPropertyOptional({ description: 'Only finished (`true`) or unfinished (`false`) todos.' })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  finished?: boolean;
}
