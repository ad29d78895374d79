import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { IsFutureDate } from './is-future-date.validator.js';
import { Trim } from './transforms.js';
import { CONTENT_MAX_LENGTH } from '../todo.schema.js';

@ApiSchema({ name: 'NewTodo' })
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
    type: String,
    nullable: true,
    description: 'When to send a reminder; must be in the future. Null or left out: none.',
  })
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsFutureDate()
  remind_at?: string | null;
}
