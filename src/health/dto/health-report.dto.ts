import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';

/** One check of a probe: its state, and whatever else the check tells (a reason when down). */
@ApiSchema({
  name: 'HealthCheck',
  description: 'One check of a probe. A check that is down may add a `message`.',
})
export class HealthCheckDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status!: 'up' | 'down';

  @ApiPropertyOptional({ example: 'timeout of 800ms exceeded' })
  message?: string;
}

const CHECKS = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(HealthCheckDto) },
} as const;

/**
 * A probe's answer, as `@nestjs/terminus` makes it. Declared here rather than by Terminus's
 * own decorator, which writes it inline: generators would have to name it themselves.
 */
@ApiSchema({ name: 'HealthReport' })
export class HealthReportDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'], example: 'ok' })
  status!: 'ok' | 'error' | 'shutting_down';

  @ApiPropertyOptional({
    ...CHECKS,
    description: 'The checks that are up, by name.',
    example: { mongodb: { status: 'up' } },
  })
  info?: Record<string, HealthCheckDto>;

  @ApiPropertyOptional({
    ...CHECKS,
    description: 'The checks that are down, by name.',
    example: {},
  })
  error?: Record<string, HealthCheckDto>;

  @ApiProperty({
    ...CHECKS,
    description: 'Every check, by name.',
    example: { mongodb: { status: 'up' } },
  })
  details!: Record<string, HealthCheckDto>;
}
