import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { IsFutureDate } from './is-future-date.validator.js';
import { Trim } from './transforms.js';
import { CONTENT_MAX_LENGTH } from '../todo.schema.js';
import { IsOmittable } from '../../common/validation.js';

@ApiSchema({ name: 'TodoChanges' })
export class UpdateTodoDto {
  @ApiPropertyOptional({
    example: 'Buy oat milk',
    minLength: 1,
    maxLength: CONTENT_MAX_LENGTH,
    // Not blank: the content is trimmed before its length is checked.
    pattern: '\\S',
  })
  @IsOmittable()
  @Trim()
  @IsString()
  @Length(1, CONTENT_MAX_LENGTH)
  content?: string;

  @ApiPropertyOptional({
    example: true,
    description: '`true` sets `finished_at` to now, `false` clears it.',
  })
  @IsOmittable()
  @IsBoolean()
  is_finished?: boolean;

  @ApiPropertyOptional({
    example: '2030-01-01T09:00:00.000Z',
    format: 'date-time',
    type: String,
    nullable: true,
    description: 'A future time to be reminded at, or null to cancel the reminder.',
  })
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsFutureDate()
  remind_at?: string | null;
}
