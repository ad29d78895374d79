import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { IsFutureDate } from './is-future-date.validator.js';
import { Trim } from './transforms.js';
import { CONTENT_MAX_LENGTH } from '../todo.schema.js';

export class CreateTodoDto {
  @ApiProperty({
    example: 'Buy milk',
    minLength: 1,
    maxLength: CONTENT_MAX_LENGTH,
    // Not blank: the content is trimmed before its length is checked.
    pattern: '\\S',
    description: 'Trimmed.',
  })
  @Trim()
  @IsString()
  @Length(1, CONTENT_MAX_LENGTH)
  content!: string;

  @ApiPropertyOptional({
    example: '2030-01-01T09:00:00.000Z',
    format: 'date-time',
    description: 'When to send a reminder; must be in the future.',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsFutureDate()
  remind_at?: string;
}
