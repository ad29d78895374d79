import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { JobView } from '../jobs/job-read.js';

@ApiSchema({ name: 'Job' })
export class JobViewDto implements JobView {
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
      'expired',
      'unknown',
    ],
    description: '`expired`: an export past its lifetime, whose file is deleted.',
  })
  state!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 100,
    example: 40,
    description: 'Percent done, 0-100.',
  })
  progress!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 1 })
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
