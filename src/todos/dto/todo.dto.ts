import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { CURSOR, OBJECT_ID } from '../../common/patterns.js';
import { CURSOR_MAX_LENGTH } from '../page-cursor.js';
import { CONTENT_MAX_LENGTH } from '../todo.schema.js';

/** A todo as the API returns it. */
@ApiSchema({ name: 'Todo' })
export class TodoDto {
  @ApiProperty({ example: '6650f1c2a1b2c3d4e5f60718', pattern: OBJECT_ID.source })
  id!: string;

  @ApiProperty({ example: 'Buy milk', minLength: 1, maxLength: CONTENT_MAX_LENGTH })
  content!: string;

  @ApiProperty({ example: false })
  is_finished!: boolean;

  @ApiProperty({ example: '2026-11-27T10:00:00.000Z', format: 'date-time' })
  created_at!: string;

  @ApiProperty({ example: null, format: 'date-time', type: String, nullable: true })
  finished_at!: string | null;

  @ApiProperty({ example: null, format: 'date-time', type: String, nullable: true })
  remind_at!: string | null;

  @ApiProperty({ example: null, format: 'date-time', type: String, nullable: true })
  reminded_at!: string | null;
}

/** One page of todos, newest first. */
@ApiSchema({ name: 'TodoPage' })
export class TodoPageDto {
  @ApiProperty({ type: [TodoDto] })
  items!: TodoDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` to get the next page; null on the last page.',
    pattern: CURSOR.source,
    maxLength: CURSOR_MAX_LENGTH,
    example: 'WzE3NjQyMzc2MDAwMDAsIjY2NTBmMWMyYTFiMmMzZDRlNWY2MDcxOCJd.q2Vt0xQ0W1yJ1ZK2fYc8_A',
  })
  next_cursor!: string | null;
}
