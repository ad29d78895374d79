import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiBearer, CurrentOwner, RequiresScope } from '../auth/access.decorator.js';
import type { Principal } from '../auth/owner.js';
import { X_CACHE_HEADER } from '../cache/cache.constants.js';
import { CacheView } from '../cache/cache-view.decorator.js';
import { ApiPathParam, OBJECT_ID_PATTERN } from '../common/api-path-param.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { BodyTypes } from '../http/body-types.guard.js';
import { Idempotent, IDEMPOTENT_REPLAYED_HEADER } from '../idempotency/idempotent.decorator.js';
import { ApiConditionalGet, ApiIfMatch, ETAG_HEADER, etagOfJson } from '../http/entity-tags.js';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe.js';
import { CreateTodoDto } from './dto/create-todo.dto.js';
import { ListTodosQueryDto } from './dto/list-todos-query.dto.js';
import { TodoDto, TodoPageDto } from './dto/todo.dto.js';
import { UpdateTodoDto } from './dto/update-todo.dto.js';
import { LIST_VIEW } from './first-page-carry.js';
import { TodosService } from './todos.service.js';
import { locationHeader } from '../http/response-headers.js';

const ApiTodoId = () => ApiPathParam('id', OBJECT_ID_PATTERN, 'The todo id (24 hex digits).');

@ApiTags('todos')
@ApiBearer()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input.' })
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token.' })
@Controller('todos')
export class TodosController {
  constructor(private readonly todos: TodosService) {}

  @Get()
  @RequiresScope('todos:read')
  @ApiOperation({
    operationId: 'listTodos',
    summary: 'List todos, newest first, by offset (start) or by cursor',
  })
  @ApiOkResponse({ type: TodoPageDto, headers: { ...X_CACHE_HEADER, ...ETAG_HEADER } })
  @ApiConditionalGet()
  @CacheView(LIST_VIEW)
  list(@CurrentOwner() owner: Principal, @Query() query: ListTodosQueryDto): Promise<TodoPageDto> {
    return this.todos.list(owner, query);
  }

  @Post()
  @RequiresScope('todos:write')
  @ApiOperation({ operationId: 'createTodo', summary: 'Create a todo (JSON or form body)' })
  @Idempotent()
  @BodyTypes('application/json', 'application/x-www-form-urlencoded')
  @ApiCreatedResponse({
    type: TodoDto,
    headers: {
      ...locationHeader('The new todo.', '/todos/6650f1c2a1b2c3d4e5f60718'),
      ...ETAG_HEADER,
      ...IDEMPOTENT_REPLAYED_HEADER,
    },
  })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Body over 64 KiB.' })
  async create(
    @CurrentOwner() owner: Principal,
    @Body() body: CreateTodoDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TodoDto> {
    const todo = await this.todos.create(owner, body);
    void reply.header('Location', `/todos/${todo.id}`).header('etag', etagOfJson(todo));
    return todo;
  }

  @Get(':id')
  @RequiresScope('todos:read')
  @ApiOperation({ operationId: 'getTodo', summary: 'Get one todo' })
  @ApiTodoId()
  @ApiOkResponse({ type: TodoDto, headers: { ...X_CACHE_HEADER, ...ETAG_HEADER } })
  @ApiConditionalGet()
  @CacheView({ name: 'item', idParam: 'id' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(
    @CurrentOwner() owner: Principal,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<TodoDto> {
    return this.todos.get(owner, id);
  }

  @Patch(':id')
  @RequiresScope('todos:write')
  @ApiOperation({
    operationId: 'updateTodo',
    summary: 'Change content, finish/unfinish, or (re)schedule the reminder',
  })
  @BodyTypes('application/json')
  @ApiTodoId()
  @ApiOkResponse({ type: TodoDto, headers: ETAG_HEADER })
  @ApiIfMatch()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Body over 64 KiB.' })
  async update(
    @CurrentOwner() owner: Principal,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: UpdateTodoDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TodoDto> {
    const todo = await this.todos.update(owner, id, body, ifMatch);
    void reply.header('etag', etagOfJson(todo));
    return todo;
  }

  @Delete(':id')
  @RequiresScope('todos:write')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteTodo', summary: 'Delete a todo' })
  @ApiTodoId()
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiIfMatch()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(
    @CurrentOwner() owner: Principal,
    @Param('id', ParseObjectIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    return this.todos.remove(owner, id, ifMatch);
  }
}
