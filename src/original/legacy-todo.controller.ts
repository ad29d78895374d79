import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  ApiBearer,
  CurrentOwner,
  RequiresScope,
  TokenOrLegacyOwner,
} from '../auth/access.decorator.js';
import type { Principal } from '../auth/owner.js';
import { X_CACHE_HEADER } from '../cache/cache.constants.js';
import { CacheView } from '../cache/cache-view.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { BodyTypes } from '../http/body-types.guard.js';
import { ApiConditionalGet, ETAG_HEADER } from '../http/entity-tags.js';
import { OpenBody } from '../openapi/open-body.decorator.js';
import { LEGACY_MAX_START, legacyContent, legacyStart } from './dto/legacy-input.js';
import { LegacyTodoDto, LegacyTodoFormDto } from './dto/legacy-todo.dto.js';
import { LegacyTodosService } from './legacy-todos.service.js';

/**
 * The original Flask service's two routes, answering as it did so that its clients run
 * unchanged: its own JSON for a page of 10, its rule for `start`, other query and form
 * fields ignored, an empty 200 for a create. They read their input themselves (not through
 * the validation pipe, which refuses unknown fields: the original ignored them). They act for
 * the token's owner, or without a token for LEGACY_OWNER's account (during a cutover).
 */
@ApiTags('legacy')
@ApiBearer()
@TokenOrLegacyOwner()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input.' })
@ApiUnauthorizedResponse({
  type: ErrorResponseDto,
  description: 'No valid bearer token, and no LEGACY_OWNER to act for without one.',
})
@Controller('todo')
export class LegacyTodoController {
  constructor(private readonly todos: LegacyTodosService) {}

  @Get()
  @RequiresScope('todos:read')
  @ApiOperation({
    operationId: 'listOriginalTodos',
    summary: 'Original route: a page of 10 todos, newest first, in the original JSON',
    description:
      '`_id` as `{"$oid": …}`, times as epoch seconds. Other query parameters are ignored.',
  })
  @ApiQuery({
    name: 'start',
    required: false,
    schema: { type: 'string', example: '10' },
    description: `Offset: ASCII digits, anything else counts as 0; over ${LEGACY_MAX_START} is a 400.`,
  })
  @ApiOkResponse({ type: [LegacyTodoDto], headers: { ...X_CACHE_HEADER, ...ETAG_HEADER } })
  @ApiConditionalGet()
  @CacheView({
    name: 'original',
    queryOf: (query) => ({ start: legacyStart(query) }),
    defaults: { start: 0 },
  })
  async list(
    @CurrentOwner() owner: Principal,
    @Query() query: Record<string, unknown>,
  ): Promise<LegacyTodoDto[]> {
    return this.todos.page(owner, legacyStart(query));
  }

  @Post()
  @RequiresScope('todos:write')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'createOriginalTodo',
    summary: 'Original route: create from a form field content, empty 200',
  })
  // A form, as the original took it (its `request.form` never read a JSON body).
  @BodyTypes('application/x-www-form-urlencoded')
  @ApiBody({ type: LegacyTodoFormDto })
  @OpenBody()
  @ApiOkResponse({ description: 'Created; the body is empty.' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Body over 64 KiB.' })
  async create(
    @CurrentOwner() owner: Principal,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.todos.create(owner, legacyContent(body));
  }
}
