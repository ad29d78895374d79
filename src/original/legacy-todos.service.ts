import { Injectable } from '@nestjs/common';
import type { Owner } from '../auth/owner.js';
import { DEFAULT_PAGE_SIZE } from '../todos/dto/list-todos-query.dto.js';
import { TodoReader } from '../todos/todo-reader.js';
import { TodosRepository } from '../todos/todos.repository.js';
import { TodosService } from '../todos/todos.service.js';
import type { LegacyTodoDto } from './dto/legacy-todo.dto.js';
import { toLegacyTodo } from './legacy-form.js';

/**
 * The original's two routes over the core's todos: its page of 10 read through the same
 * repository and reader as `GET /todos` (the owner's filter included), in its own form;
 * its create is the core's, so reminders, invalidation and the cutover's storage form apply.
 */
@Injectable()
export class LegacyTodosService {
  constructor(
    private readonly todos: TodosRepository,
    private readonly reader: TodoReader,
    private readonly service: TodosService,
  ) {}

  /** A page of 10 for the original's `GET /todo`, in its form. */
  async page(owner: Owner, start: number): Promise<LegacyTodoDto[]> {
    const rows = await this.todos.page(owner, {}, start, DEFAULT_PAGE_SIZE);
    return rows.flatMap((row) => {
      const todo = this.reader.read(row, 'the original list');
      return todo ? [toLegacyTodo(row, todo)] : [];
    });
  }

  /** The original's `POST /todo`: a todo of this content, answered with nothing. */
  async create(owner: Owner, content: string): Promise<void> {
    await this.service.create(owner, { content });
  }
}
