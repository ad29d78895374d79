import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { CONTENT_SCHEMA, IsTodoContent, ReminderTime } from './todo-fields.js';

@ApiSchema({ name: 'NewTodo' })
export class CreateTodoDto {
  @ApiProperty({ ...CONTENT_SCHEMA, example: 'Buy milk', description: 'Trimmed.' })
  @IsTodoContent()
  content!: string;

  @ReminderTime('When to send a reminder; must be in the future. Null or left out: none.')
  remind_at?: string | null;
}
