import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { OBJECT_ID, TOKEN_NAME } from '../../common/patterns.js';
import { IsOmittable, MatchesWithin } from '../../common/validation.js';
import { SCOPES, type Scope } from '../scopes.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './credentials.dto.js';

const ID = { example: '665f1c2b9d3e4a0012345679', pattern: OBJECT_ID.source } as const;
const TIME = { type: String, example: '2026-12-01T09:00:00.000Z', format: 'date-time' } as const;

export const TOKEN_NAME_MAX_LENGTH = 100;
export const TOKEN_MAX_DAYS = 365;
export const TOKEN_DEFAULT_DAYS = 90;

@ApiSchema({ name: 'Session' })
export class SessionDto {
  @ApiProperty(ID)
  id!: string;

  @ApiProperty(TIME)
  created_at!: string;

  @ApiProperty({ ...TIME, description: 'Recorded at most once a minute.' })
  last_used_at!: string;

  @ApiProperty({
    ...TIME,
    description: `The session's absolute end; it ends sooner after SESSION_IDLE_DAYS without use.`,
  })
  expires_at!: string;

  @ApiProperty({ description: 'Whether this is the session of the token that asked.' })
  current!: boolean;
}

@ApiSchema({ name: 'PasswordChange' })
export class PasswordChangeDto {
  @ApiProperty({
    format: 'password',
    example: 'correct horse battery',
    maxLength: PASSWORD_MAX_LENGTH,
  })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  current_password!: string;

  @ApiProperty({
    format: 'password',
    example: 'a new horse, a new battery',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
  })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  new_password!: string;
}

@ApiSchema({ name: 'NewToken' })
export class CreateTokenDto {
  @ApiProperty({
    example: 'nightly export',
    minLength: 1,
    maxLength: TOKEN_NAME_MAX_LENGTH,
    pattern: TOKEN_NAME.source,
    description: 'What the token is for; shown in the list. Not blank, no control characters.',
  })
  @IsString()
  @Length(1, TOKEN_NAME_MAX_LENGTH)
  @MatchesWithin(
    TOKEN_NAME,
    TOKEN_NAME_MAX_LENGTH,
    'name must not be blank nor contain control characters',
  )
  name!: string;

  @ApiProperty({
    enum: SCOPES,
    isArray: true,
    minItems: 1,
    maxItems: SCOPES.length,
    uniqueItems: true,
    example: ['todos:read'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SCOPES.length)
  @ArrayUnique()
  @IsIn(SCOPES, { each: true })
  scopes!: Scope[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: TOKEN_MAX_DAYS,
    default: TOKEN_DEFAULT_DAYS,
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(TOKEN_MAX_DAYS)
  expires_in_days?: number;

  @ApiProperty({
    format: 'password',
    example: 'correct horse battery',
    maxLength: PASSWORD_MAX_LENGTH,
    description:
      "The account's current password: a token outlives the session, so a stolen session " +
      'alone cannot make one.',
  })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password!: string;
}

@ApiSchema({ name: 'Token' })
export class TokenDto {
  @ApiProperty(ID)
  id!: string;

  @ApiProperty({ example: 'nightly export' })
  name!: string;

  @ApiProperty({ enum: SCOPES, isArray: true, example: ['todos:read'] })
  scopes!: Scope[];

  @ApiProperty(TIME)
  created_at!: string;

  @ApiProperty({ ...TIME, nullable: true, description: 'Null until the token is first used.' })
  last_used_at!: string | null;

  @ApiProperty({ ...TIME, example: '2027-03-01T09:00:00.000Z' })
  expires_at!: string;
}

@ApiSchema({ name: 'CreatedToken' })
export class CreatedTokenDto extends TokenDto {
  @ApiProperty({
    example: 'tdo_pat_665f1c2b9d3e4a0012345678q8Xv2c1o4F0y5m3W7n6b9a2s1d4f7g0h3j6k9l2p5o8',
    description:
      'Send it as `Authorization: Bearer <token>`. Shown only here: only its hash is kept.',
  })
  token!: string;
}
