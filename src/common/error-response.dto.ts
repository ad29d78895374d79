import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** The body of every error response: Nest's standard exception shape. */
@ApiSchema({ name: 'ErrorResponse' })
export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['content must be shorter than or equal to 1000 characters'],
  })
  message!: string | string[];
}
