import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { OBJECT_ID } from '../../common/patterns.js';
import { CONTENT_SCHEMA } from '../../todos/dto/todo-fields.js';

/** An ObjectId as `bson.json_util` writes it. */
@ApiSchema({ name: 'OriginalObjectId' })
export class LegacyObjectIdDto {
  @ApiProperty({ example: '6650f1c2a1b2c3d4e5f60718', pattern: OBJECT_ID.source })
  $oid!: string;
}

/**
 * A todo exactly as the original's `GET /todo` answered it (`bson.json_util.dumps` of its
 * documents): the original's five fields, times as epoch seconds.
 */
@ApiSchema({ name: 'OriginalTodo' })
export class LegacyTodoDto {
  @ApiProperty({ type: LegacyObjectIdDto })
  _id!: LegacyObjectIdDto;

  @ApiProperty({ example: 'Buy milk' })
  content!: string;

  @ApiProperty({ example: 1796111889.28, description: 'Epoch seconds.' })
  created_at!: number;

  @ApiProperty({ example: false })
  is_finished!: boolean;

  @ApiProperty({ example: null, type: Number, nullable: true, description: 'Epoch seconds.' })
  finished_at!: number | null;
}

/**
 * The original's create form. Only documented: the route reads it itself (`legacyContent`),
 * ignoring other fields as the original did, so unlike the API's own bodies it allows them
 * (`@OpenBody()` on the route).
 */
@ApiSchema({
  name: 'OriginalTodoForm',
  description: 'Other fields are ignored, as the original service ignored them.',
})
export class LegacyTodoFormDto {
  @ApiProperty({
    ...CONTENT_SCHEMA,
    example: 'Buy milk',
    description: 'Trimmed. When the field is repeated, the first one counts.',
  })
  content!: string;
}
