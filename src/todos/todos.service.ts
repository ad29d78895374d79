import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types, type QueryFilter, type UpdateQuery } from 'mongoose';
import { ResponseCache } from '../cache/response-cache.service.js';
import { RemindersScheduler } from '../reminders/reminders.scheduler.js';
import type { CreateTodoDto } from './dto/create-todo.dto.js';
import type { ListTodosQueryDto } from './dto/list-todos-query.dto.js';
import { toTodoDto, type TodoDto, type TodoPageDto } from './dto/todo.dto.js';
import type { UpdateTodoDto } from './dto/update-todo.dto.js';
import { PageCursorCodec } from './page-cursor.js';
import { NEWEST_FIRST, Todo, type TodoRecord } from './todo.schema.js';

@Injectable()
export class TodosService {
  constructor(
    @InjectModel(Todo.name) private readonly todos: Model<Todo>,
    private readonly cursors: PageCursorCodec,
    private readonly views: ResponseCache,
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
    const rows = await this.todos
      .find(filter)
      .sort(NEWEST_FIRST)
      .skip(query.start ?? 0)
      .limit(query.limit + 1)
      .lean<TodoRecord[]>()
      .exec();
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
    const todo = await this.todos.findById(id).lean<TodoRecord>().exec();
    if (!todo) throw this.notFound(id);
    return toTodoDto(todo);
  }

  async create(input: CreateTodoDto): Promise<TodoDto> {
    const _id = new Types.ObjectId();
    const remindAt = input.remind_at === undefined ? null : new Date(input.remind_at);
    // Scheduled first: if the queue is down the request fails (503) before anything is written.
    if (remindAt) await this.reminders.schedule(_id.toHexString(), remindAt);
    const todo = await this.todos.create({ _id, content: input.content, remind_at: remindAt });
    // Every write invalidates the cached views before its response is sent.
    await this.views.invalidate();
    return toTodoDto(todo.toObject<TodoRecord>());
  }

  async update(id: string, input: UpdateTodoDto): Promise<TodoDto> {
    const changes = this.changes(input);
    const reschedule = typeof input.remind_at === 'string' && input.is_finished !== true;
    if (reschedule) await this.reminders.schedule(id, new Date(input.remind_at as string));
    const todo = await this.todos
      .findByIdAndUpdate(id, changes, { returnDocument: 'after' })
      .lean<TodoRecord>()
      .exec();
    if (!todo) {
      if (reschedule) await this.reminders.cancel(id);
      throw this.notFound(id);
    }
    await this.views.invalidate();
    if (input.remind_at === null || input.is_finished === true) await this.reminders.cancel(id);
    return toTodoDto(todo);
  }

  async remove(id: string): Promise<void> {
    const { deletedCount } = await this.todos.deleteOne({ _id: id }).exec();
    if (deletedCount === 0) throw this.notFound(id);
    await this.views.invalidate();
    await this.reminders.cancel(id);
  }

  private changes(input: UpdateTodoDto): UpdateQuery<Todo> {
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
    return { $set: set };
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
