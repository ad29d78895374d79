import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { IsOmittable } from '../../common/validation.js';
import { CONTENT_SCHEMA, IsTodoContent, ReminderTime } from './todo-fields.js';

@ApiSchema({ name: 'TodoChanges' })
export class UpdateTodoDto {
  @ApiPropertyOptional({ ...CONTENT_SCHEMA, example: 'Buy oat milk' })
  @IsOmittable()
  @IsTodoContent()
  content?: string;

  @ApiPropertyOptional({
    example: true,
    description: '`true` sets `finished_at` to now, `false` clears it.',
  })
  @IsOmittable()
  @IsBoolean()
  is_finished?: boolean;

  @ReminderTime('A future time to be reminded at, or null to cancel the reminder.')
  remind_at?: string | null;
}
