import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
/** RFC 5321's longest forward path, less its angle brackets. */
export const EMAIL_MAX_LENGTH = 254;

/** An email and a password: registering and logging in take the same body. */
@ApiSchema({ name: 'Credentials' })
export class CredentialsDto {
  @ApiProperty({ example: 'ada@example.com', format: 'email', maxLength: EMAIL_MAX_LENGTH })
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  @IsEmail()
  email!: string;

  @ApiProperty({
    example: 'correct horse battery',
    format: 'password',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
  })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password!: string;
}
