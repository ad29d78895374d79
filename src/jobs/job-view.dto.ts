import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'Job' })
export class JobViewDto {
  @ApiProperty({ example: '42' })
  id!: string;

  @ApiProperty({ example: 'exports' })
  queue!: string;

  @ApiProperty({
    example: 'active',
    enum: [
      'waiting',
      'delayed',
      'prioritized',
      'waiting-children',
      'active',
      'completed',
      'failed',
      'unknown',
    ],
  })
  state!: string;

  @ApiProperty({ example: 40, description: 'Percent done, 0-100.' })
  progress!: number;

  @ApiProperty({ example: 1 })
  attempts_made!: number;

  @ApiPropertyOptional({
    description: 'What the job returned, once completed.',
    type: 'object',
    additionalProperties: true,
  })
  result?: unknown;

  @ApiPropertyOptional({ example: 'webhook answered 500' })
  failed_reason?: string;
}
