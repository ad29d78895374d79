import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { BodyTypes } from '../http/body-types.guard.js';
import {
  ApiBearer,
  ApiEndToldEverywhere,
  ApiSessionOnly,
  CurrentOwner,
  Public,
  SessionOrEnding,
} from './access.decorator.js';
import { AuthService } from './auth.service.js';
import { AccountDto, SessionTokenDto } from './dto/account.dto.js';
import { CredentialsDto } from './dto/credentials.dto.js';
import type { Principal } from './owner.js';
import { RETRY_AFTER_HEADER } from '../http/response-headers.js';

@ApiTags('auth')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input.' })
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @Public()
  @BodyTypes('application/json')
  @ApiOperation({ operationId: 'register', summary: 'Create an account' })
  @ApiCreatedResponse({ type: AccountDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The email has an account, or is reserved for the operator (LEGACY_OWNER).',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: 'Too many registrations from this address.',
    headers: RETRY_AFTER_HEADER,
  })
  register(@Body() body: CredentialsDto, @Ip() address: string): Promise<AccountDto> {
    return this.auth.register(body, address);
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @BodyTypes('application/json')
  @ApiOperation({
    operationId: 'login',
    summary: 'Start a session: a bearer token for the other routes',
  })
  @ApiOkResponse({ type: SessionTokenDto })
  @ApiUnauthorizedResponse({
    type: ErrorResponseDto,
    description: 'Unknown email or wrong password.',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description:
      'Too many failed logins for this email from this address, from this address, or for ' +
      'this email from addresses it never signed in from.',
    headers: RETRY_AFTER_HEADER,
  })
  login(@Body() body: CredentialsDto, @Ip() address: string): Promise<SessionTokenDto> {
    return this.auth.login(body, address);
  }

  @Post('logout')
  @HttpCode(204)
  @SessionOrEnding()
  @ApiBearer()
  @ApiSessionOnly()
  @ApiOperation({
    operationId: 'logout',
    summary: "End this token's session, on every API process at once",
  })
  @ApiNoContentResponse({ description: 'Ended: every API process refuses the token now.' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  @ApiEndToldEverywhere()
  logout(@CurrentOwner() caller: Principal): Promise<void> {
    return this.auth.logout(caller);
  }
}
