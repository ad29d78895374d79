import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { OBJECT_ID } from '../../common/patterns.js';

@ApiSchema({ name: 'Account' })
export class AccountDto {
  @ApiProperty({ example: '665f1c2b9d3e4a0012345678', pattern: OBJECT_ID.source })
  id!: string;

  @ApiProperty({ example: 'ada@example.com', format: 'email' })
  email!: string;

  @ApiProperty({ example: '2026-12-01T09:00:00.000Z', format: 'date-time' })
  created_at!: string;
}

@ApiSchema({ name: 'SessionToken' })
export class SessionTokenDto {
  @ApiProperty({
    example: 'tdo_s_665f1c2b9d3e4a0012345678q8Xv2c1o4F0y5m3W7n6b9a2s1d4f7g0h3j6k9l2p5o8',
    description: 'Send it as `Authorization: Bearer <token>`. Shown once: only its hash is kept.',
  })
  token!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  token_type!: 'Bearer';

  @ApiProperty({
    example: '2027-03-01T09:00:00.000Z',
    format: 'date-time',
    description: `The session's absolute end; it ends sooner after SESSION_IDLE_DAYS without use.`,
  })
  expires_at!: string;
}
