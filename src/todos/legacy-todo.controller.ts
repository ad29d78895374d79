import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { X_CACHE_HEADER } from '../cache/cache.constants.js';
import { CacheView } from '../cache/cache-view.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { CreateTodoDto } from './dto/create-todo.dto.js';
import { LegacyListQueryDto } from './dto/legacy-list-query.dto.js';
import { DEFAULT_PAGE_SIZE } from './dto/list-todos-query.dto.js';
import { TodoDto } from './dto/todo.dto.js';
import { TodosService } from './todos.service.js';

/**
 * The original Flask service's two routes, kept so its clients keep working: a bare array
 * of 10 todos per page, and a create that answers an empty 200.
 */
@ApiTags('legacy')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input.' })
@Controller('todo')
export class LegacyTodoController {
  constructor(private readonly todos: TodosService) {}

  @Get()
  @ApiOperation({ summary: 'Original route: a page of 10 todos, newest first, as a bare array' })
  @ApiOkResponse({ type: [TodoDto], headers: X_CACHE_HEADER })
  @CacheView({ name: 'legacy', query: LegacyListQueryDto, defaults: { start: 0 } })
  async list(@Query() query: LegacyListQueryDto): Promise<TodoDto[]> {
    const page = await this.todos.list({ limit: DEFAULT_PAGE_SIZE, start: query.start });
    return page.items;
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Original route: create from a form field `content`, empty 200' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiOkResponse({ description: 'Created; the body is empty.' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Body over 64 KiB.' })
  async create(@Body() body: CreateTodoDto): Promise<void> {
    await this.todos.create(body);
  }
}
