import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { trusted, Types, type QueryFilter } from 'mongoose';
import { RemindersScheduler } from '../reminders/reminders.scheduler.js';
import type { CreateTodoDto } from './dto/create-todo.dto.js';
import type { ListTodosQueryDto } from './dto/list-todos-query.dto.js';
import { toTodoDto, type TodoDto, type TodoPageDto } from './dto/todo.dto.js';
import type { UpdateTodoDto } from './dto/update-todo.dto.js';
import { PageCursorCodec } from './page-cursor.js';
import type { Todo } from './todo.schema.js';
import { TodosRepository } from './todos.repository.js';

@Injectable()
export class TodosService {
  constructor(
    private readonly todos: TodosRepository,
    private readonly cursors: PageCursorCodec,
    private readonly reminders: RemindersScheduler,
  ) {}

  async list(query: ListTodosQueryDto): Promise<TodoPageDto> {
    if (query.start !== undefined && query.cursor !== undefined) {
      throw new BadRequestException('start and cursor cannot be used together');
    }
    const filter: QueryFilter<Todo> = {};
    if (query.finished !== undefined) filter.is_finished = query.finished;
    if (query.cursor !== undefined) Object.assign(filter, this.after(query.cursor));

    // One extra row tells whether another page exists without a count query.
    const rows = await this.todos.page(filter, query.start ?? 0, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const more = rows.length > query.limit && last !== undefined;
    return {
      items: items.map(toTodoDto),
      next_cursor: more
        ? this.cursors.encode({ createdAt: last.created_at, id: last._id.toHexString() })
        : null,
    };
  }

  async get(id: string): Promise<TodoDto> {
    const todo = await this.todos.findById(id);
    if (!todo) throw this.notFound(id);
    return toTodoDto(todo);
  }

  async create(input: CreateTodoDto): Promise<TodoDto> {
    const _id = new Types.ObjectId();
    const remindAt = input.remind_at === undefined ? null : new Date(input.remind_at);
    // Scheduled first: if the queue is down the request fails (503) before anything is written.
    if (remindAt) await this.reminders.schedule(_id.toHexString(), remindAt);
    return toTodoDto(await this.todos.create({ _id, content: input.content, remind_at: remindAt }));
  }

  async update(id: string, input: UpdateTodoDto): Promise<TodoDto> {
    const changes = this.changes(input);
    const remindAt =
      typeof input.remind_at === 'string' && input.is_finished !== true
        ? new Date(input.remind_at)
        : null;
    if (remindAt) await this.reminders.schedule(id, remindAt);
    // The document as it was, read in the same atomic step as the write: its reminder time
    // names the one job this change ends, even when other updates of the todo race it.
    const change = await this.todos.update(id, changes);
    if (!change) {
      if (remindAt) await this.reminders.cancel(id, remindAt);
      throw this.notFound(id);
    }
    const { before, after } = change;
    const previous = before.remind_at instanceof Date ? before.remind_at : null;
    const ended =
      input.is_finished === true ||
      (input.remind_at !== undefined && previous?.getTime() !== remindAt?.getTime());
    if (ended) await this.reminders.cancel(id, previous);
    return toTodoDto(after);
  }

  async remove(id: string): Promise<void> {
    const removed = await this.todos.remove(id);
    if (!removed) throw this.notFound(id);
    const remindAt = removed.remind_at instanceof Date ? removed.remind_at : null;
    await this.reminders.cancel(id, remindAt);
  }

  private changes(input: UpdateTodoDto): Partial<Todo> {
    const set: Partial<Todo> = {};
    if (input.content !== undefined) set.content = input.content;
    if (input.is_finished !== undefined) {
      set.is_finished = input.is_finished;
      set.finished_at = input.is_finished ? new Date() : null;
    }
    if (input.remind_at !== undefined) {
      set.remind_at = input.remind_at === null ? null : new Date(input.remind_at);
      // A new reminder time has not been reminded of yet.
      if (input.remind_at !== null) set.reminded_at = null;
    }
    if (Object.keys(set).length === 0) {
      throw new BadRequestException('send at least one of content, is_finished, remind_at');
    }
    return set;
  }

  /**
   * The keyset condition for "strictly after this position" in newest-first order. Its
   * operators are ours, built from a verified cursor, so they are marked trusted for
   * `sanitizeFilter`.
   */
  private after(cursor: string): QueryFilter<Todo> {
    const position = this.cursors.decode(cursor);
    if (!position)
      throw new BadRequestException('cursor is malformed or was not issued by this service');
    return {
      $or: [
        { created_at: trusted({ $lt: position.createdAt }) },
        {
          created_at: position.createdAt,
          _id: trusted({ $lt: new Types.ObjectId(position.id) }),
        },
      ],
    };
  }

  private notFound(id: string): NotFoundException {
    return new NotFoundException(`todo ${id} not found`);
  }
}
