import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { X_CACHE_HEADER } from '../cache/cache.constants.js';
import { CacheView } from '../cache/cache-view.decorator.js';
import { ApiPathParam, OBJECT_ID_PATTERN } from '../common/api-path-param.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe.js';
import { CreateTodoDto } from './dto/create-todo.dto.js';
import { ListTodosQueryDto } from './dto/list-todos-query.dto.js';
import { TodoDto, TodoPageDto } from './dto/todo.dto.js';
import { UpdateTodoDto } from './dto/update-todo.dto.js';
import { TodosService } from './todos.service.js';

const ApiTodoId = () => ApiPathParam('id', OBJECT_ID_PATTERN, 'The todo id (24 hex digits).');

@ApiTags('todos')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input.' })
@Controller('todos')
export class TodosController {
  constructor(private readonly todos: TodosService) {}

  @Get()
  @ApiOperation({ summary: 'List todos, newest first, by offset (`start`) or by `cursor`' })
  @ApiOkResponse({ type: TodoPageDto, headers: X_CACHE_HEADER })
  @CacheView({ name: 'list', query: ListTodosQueryDto, defaults: { start: 0 } })
  list(@Query() query: ListTodosQueryDto): Promise<TodoPageDto> {
    return this.todos.list(query);
  }

  @Post()
  @ApiOperation({ summary: 'Create a todo (JSON or form body)' })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiCreatedResponse({
    type: TodoDto,
    headers: { Location: { description: 'URL of the new todo' } },
  })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Body over 64 KiB.' })
  async create(
    @Body() body: CreateTodoDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TodoDto> {
    const todo = await this.todos.create(body);
    void reply.header('Location', `/todos/${todo.id}`);
    return todo;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one todo' })
  @ApiTodoId()
  @ApiOkResponse({ type: TodoDto, headers: X_CACHE_HEADER })
  @CacheView({ name: 'item', idParam: 'id' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', ParseObjectIdPipe) id: string): Promise<TodoDto> {
    return this.todos.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change content, finish/unfinish, or (re)schedule the reminder' })
  @ApiTodoId()
  @ApiOkResponse({ type: TodoDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Body over 64 KiB.' })
  update(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: UpdateTodoDto,
  ): Promise<TodoDto> {
    return this.todos.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a todo' })
  @ApiTodoId()
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(@Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    return this.todos.remove(id);
  }
}
