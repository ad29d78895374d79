import { Body, Controller, Delete, Get, HttpCode, Ip, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiPathParam, OBJECT_ID_PATTERN } from '../common/api-path-param.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe.js';
import { BodyTypes } from '../http/body-types.guard.js';
import {
  ApiBearer,
  ApiEndToldEverywhere,
  ApiPasswordThrottled,
  ApiSessionOnly,
  CurrentOwner,
} from './access.decorator.js';
import { AccountService } from './account.service.js';
import { AuthService } from './auth.service.js';
import { AccountDto } from './dto/account.dto.js';
import {
  CreatedTokenDto,
  CreateTokenDto,
  PasswordChangeDto,
  SessionDto,
  TokenDto,
} from './dto/me.dto.js';
import type { Principal } from './owner.js';

const ApiCredentialId = (what: string) =>
  ApiPathParam('id', OBJECT_ID_PATTERN, `The ${what} id, as listed.`);

/**
 * The caller's own account. Every route takes a session token only (no `@RequiresScope()`):
 * a personal access token that leaks cannot list, mint or end credentials, change the
 * password or delete the account.
 */
@ApiTags('me')
@ApiBearer()
@ApiSessionOnly()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token.' })
@Controller('me')
export class MeController {
  constructor(
    private readonly auth: AuthService,
    private readonly account: AccountService,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'getAccount', summary: 'The account of the token' })
  @ApiOkResponse({ type: AccountDto })
  me(@CurrentOwner() caller: Principal): Promise<AccountDto> {
    return this.auth.me(caller);
  }

  @Delete()
  @HttpCode(202)
  @ApiOperation({
    operationId: 'deleteAccount',
    summary: 'Delete the account',
    description:
      'Takes a session signed in within the last 10 minutes. Every session and token of the ' +
      'account is refused at once, and its email can be registered again; its todos, ' +
      'exports and jobs are deleted in the background.',
  })
  @ApiAcceptedResponse({ description: 'Deleted; its data goes in the background.' })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description:
      'A personal access token (this route takes a session token only), a session signed in ' +
      'over 10 minutes ago (sign in again and send the new session token), or the LEGACY_OWNER ' +
      "account: the operator's, never deleted through the API.",
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'The job queue (Redis) is unavailable: nothing was deleted.',
  })
  deleteAccount(@CurrentOwner() caller: Principal): Promise<void> {
    return this.account.deleteAccount(caller);
  }

  @Get('sessions')
  @ApiOperation({
    operationId: 'listSessions',
    summary: 'The live sessions of the account, oldest first',
  })
  @ApiOkResponse({ type: [SessionDto] })
  sessions(@CurrentOwner() caller: Principal): Promise<SessionDto[]> {
    return this.account.listSessions(caller);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'endSession',
    summary: 'End a session: its token is refused from the next request on',
  })
  @ApiCredentialId('session')
  @ApiNoContentResponse({ description: 'Ended.' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed id.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such session of yours.' })
  @ApiEndToldEverywhere()
  endSession(
    @CurrentOwner() caller: Principal,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<void> {
    return this.account.endSession(caller, id);
  }

  @Post('password')
  @HttpCode(204)
  @BodyTypes('application/json')
  @ApiOperation({
    operationId: 'changePassword',
    summary: 'Change the password; every other session of the account ends',
    description: 'This session stays; personal access tokens stay too.',
  })
  @ApiNoContentResponse({ description: 'Changed.' })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Invalid input, or current_password is wrong.',
  })
  @ApiPasswordThrottled()
  @ApiEndToldEverywhere()
  changePassword(
    @CurrentOwner() caller: Principal,
    @Body() body: PasswordChangeDto,
    @Ip() address: string,
  ): Promise<void> {
    return this.account.changePassword(caller, body, address);
  }

  @Post('tokens')
  @BodyTypes('application/json')
  @ApiOperation({
    operationId: 'createToken',
    summary: 'Create a personal access token, for scripts and CI',
  })
  @ApiCreatedResponse({
    type: CreatedTokenDto,
    description: 'The token; its secret is shown only in this answer.',
  })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Invalid input, or the password is wrong.',
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The account already holds its most live tokens (100): delete one first.',
  })
  @ApiPasswordThrottled()
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'Redis, which keeps the cap under concurrent requests, is unavailable.',
  })
  createToken(
    @CurrentOwner() caller: Principal,
    @Body() body: CreateTokenDto,
    @Ip() address: string,
  ): Promise<CreatedTokenDto> {
    return this.account.createToken(caller, body, address);
  }

  @Get('tokens')
  @ApiOperation({
    operationId: 'listTokens',
    summary: 'The live personal access tokens of the account (never a secret)',
  })
  @ApiOkResponse({ type: [TokenDto] })
  tokens(@CurrentOwner() caller: Principal): Promise<TokenDto[]> {
    return this.account.listTokens(caller);
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteToken',
    summary: 'Delete a token: refused from the next request on, by every process',
  })
  @ApiCredentialId('token')
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed id.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such token of yours.' })
  @ApiEndToldEverywhere()
  deleteToken(
    @CurrentOwner() caller: Principal,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<void> {
    return this.account.deleteToken(caller, id);
  }
}
