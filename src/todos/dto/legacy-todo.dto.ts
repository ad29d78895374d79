import { ApiProperty } from '@nestjs/swagger';

/** An ObjectId as `bson.json_util` writes it. */
export class LegacyObjectIdDto {
  @ApiProperty({ example: '6650f1c2a1b2c3d4e5f60718', pattern: '^[0-9a-f]{24}$' })
  $oid!: string;
}

/**
 * A todo exactly as the original's `GET /todo` answered it (`bson.json_util.dumps` of its
 * documents): the original's five fields, times as epoch seconds.
 */
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
