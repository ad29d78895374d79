import {
  BadRequestException,
  Injectable,
  NotFoundException,
  PreconditionFailedException,
} from '@nestjs/common';
import { Types, type QueryFilter } from 'mongoose';
import type { Owner } from '../auth/owner.js';
import { anyMatch, etagOfJson } from '../http/entity-tags.js';
import { RedisLock } from '../redis/redis-lock.js';
import { RemindersScheduler } from './reminders.scheduler.js';
import { endsPrevious, scheduledBy } from './change-reminders.js';
import type { CreateTodoDto } from './dto/create-todo.dto.js';
import type { ListTodosQueryDto } from './dto/list-todos-query.dto.js';
import type { TodoDto, TodoPageDto } from './dto/todo.dto.js';
import type { UpdateTodoDto } from './dto/update-todo.dto.js';
import { withNote } from '../cache/view-note.js';
import { FirstPageCarry, isFirstPage } from './first-page-carry.js';
import { afterPosition } from './keyset.js';
import { PageCursorCodec, type PagePosition } from './page-cursor.js';
import { LOWEST_OBJECT_ID, storedIdOf, storedInstant, type StoredTodo } from './stored-todo.js';
import { changesOf } from './todo-changes.js';
import { TodoReader } from './todo-reader.js';
import type { Todo } from './todo.schema.js';
import { TodosRepository, type TodoFields } from './todos.repository.js';

/** The owner's todo as compared under If-Match; `seen` unless the header was `*`. */
type Compared = { seen?: StoredTodo };
/** The lock a change under If-Match holds, among the owner's locks. */
const changeLock = (id: string) => `todo:${id}`;

@Injectable()
export class TodosService {
  constructor(
    private readonly todos: TodosRepository,
    private readonly cursors: PageCursorCodec,
    private readonly reminders: RemindersScheduler,
    private readonly reader: TodoReader,
    private readonly locks: RedisLock,
    private readonly firstPage: FirstPageCarry,
  ) {}

  async list(owner: Owner, query: ListTodosQueryDto): Promise<TodoPageDto> {
    if (query.start !== undefined && query.cursor !== undefined) {
      throw new BadRequestException('start and cursor cannot be used together');
    }
    const filter: QueryFilter<Todo> = {};
    if (query.finished !== undefined) filter.is_finished = query.finished;
    if (query.cursor !== undefined)
      Object.assign(filter, afterPosition(this.position(owner, query.cursor)));

    // One extra row tells whether another page exists without a count query.
    const rows = await this.todos.page(owner, filter, query.start ?? 0, query.limit + 1);
    const items = rows.slice(0, query.limit);
    // The next page starts after the last row, whether it was read or skipped.
    const last = items.at(-1);
    const more = rows.length > query.limit && last !== undefined;
    const page = {
      items: this.reader.readAll(items, 'a list'),
      next_cursor: more ? this.cursors.encode(owner.id, this.positionOf(last)) : null,
    };
    // The page a create carries forward in the cache, with what that needs (`FirstPageCarry`).
    return isFirstPage(query) ? withNote(page, this.firstPage.note(items, page.items)) : page;
  }

  async get(owner: Owner, id: string): Promise<TodoDto> {
    return this.read(id, await this.todos.findById(owner, id));
  }

  async create(owner: Owner, input: CreateTodoDto): Promise<TodoDto> {
    const _id = new Types.ObjectId();
    const remindAt = typeof input.remind_at === 'string' ? new Date(input.remind_at) : null;
    // First (a new id: no one else's job), so a queue that is down fails it (503) unwritten.
    if (remindAt) await this.reminders.schedule(owner.id, _id.toHexString(), remindAt);
    const fields = { _id, content: input.content, remind_at: remindAt };
    const carry = (created: StoredTodo) => this.firstPage.after(owner, created);
    return this.read(_id.toHexString(), await this.todos.create(owner, fields, carry));
  }

  /**
   * `ifMatch`: the request's `If-Match`, if any. Under it the compare and the write hold the
   * owner's lock of the todo, so that of two racing changes with one tag exactly one is made,
   * on any process and on FerretDB too (see `RedisLock`); the other gets 412.
   */
  async update(owner: Owner, id: string, input: UpdateTodoDto, ifMatch?: string): Promise<TodoDto> {
    const changes = changesOf(input);
    if (ifMatch === undefined) return this.change(owner, id, input, changes);
    return this.locks.holding(owner.id, changeLock(id), async () =>
      this.change(owner, id, input, changes, await this.matching(owner, id, ifMatch)),
    );
  }

  async remove(owner: Owner, id: string, ifMatch?: string): Promise<void> {
    if (ifMatch === undefined) return this.removeOnce(owner, id);
    return this.locks.holding(owner.id, changeLock(id), async () =>
      this.removeOnce(owner, id, (await this.matching(owner, id, ifMatch)).seen),
    );
  }

  /**
   * `compared`: the owner's todo as compared under If-Match; the write is made only over its
   * `seen`. Jobs: scheduled for a todo read as the owner's, cancelled after the owner's write.
   */
  private async change(
    owner: Owner,
    id: string,
    input: UpdateTodoDto,
    changes: TodoFields,
    compared?: Compared,
  ): Promise<TodoDto> {
    const remindAt = scheduledBy(input);
    if (remindAt) {
      // Still before the write, so that a queue that is down refuses it (503) unwritten.
      if (!compared) this.read(id, await this.todos.findById(owner, id));
      await this.reminders.schedule(owner.id, id, remindAt);
    }
    // The document as it was, read in the same atomic step as the write: its reminder time
    // names the one job this change ends, even when other updates of the todo race it.
    const change = await this.todos.update(owner, id, changes, compared?.seen);
    if (!change) {
      const missed = await this.missedChange(owner, id, compared?.seen);
      // Gone since it was read as the owner's: the job just scheduled has no todo any more.
      if (remindAt && missed instanceof NotFoundException) {
        await this.reminders.cancel(owner.id, id, remindAt);
      }
      throw missed;
    }
    const previous = storedInstant(change.before.remind_at);
    if (endsPrevious(input, previous, remindAt))
      await this.reminders.cancel(owner.id, id, previous);
    return this.read(id, change.after);
  }

  private async removeOnce(owner: Owner, id: string, seen?: StoredTodo): Promise<void> {
    const removed = await this.todos.remove(owner, id, seen);
    if (!removed) throw await this.missedChange(owner, id, seen);
    await this.reminders.cancel(owner.id, id, storedInstant(removed.remind_at));
  }

  /**
   * For a change under `If-Match`: the todo as stored, if the header names its current form
   * (the change is then made only while it stays so; `*` needs only a todo); 412 if not,
   * 404 if there is none (no precondition holds for what does not exist, RFC 9110 §13.2.1).
   */
  private async matching(owner: Owner, id: string, ifMatch: string): Promise<Compared> {
    const stored = await this.todos.findById(owner, id);
    const todo = this.read(id, stored);
    if (!anyMatch(ifMatch, etagOfJson(todo))) throw this.changed(id);
    return { seen: ifMatch.trim() === '*' ? undefined : (stored ?? undefined) };
  }

  /** Why a change found nothing to change: the todo is gone, or (under If-Match) changed. */
  private async missedChange(owner: Owner, id: string, seen?: StoredTodo): Promise<Error> {
    const now = seen && (await this.todos.findById(owner, id));
    return now && this.reader.read(now, `todo ${id}`) ? this.changed(id) : this.notFound(id);
  }

  private changed(id: string): PreconditionFailedException {
    return new PreconditionFailedException(`todo ${id} changed since the ETag in If-Match`);
  }

  /** The todo's API form; a document that cannot be read is, for the API, no todo. */
  private read(id: string, stored: StoredTodo | null): TodoDto {
    const todo = stored && this.reader.read(stored, `todo ${id}`);
    if (!todo) throw this.notFound(id);
    return todo;
  }

  /**
   * A row's place in newest-first order. An `_id` that is no ObjectId (not a todo, but in
   * the collection) sorts after every ObjectId of its `created_at`, so the lowest ObjectId
   * stands for it: the next page starts after all of them.
   */
  private positionOf(row: StoredTodo): PagePosition {
    return { createdAt: row.created_at, id: storedIdOf(row) ?? LOWEST_OBJECT_ID };
  }

  private position(owner: Owner, cursor: string): PagePosition {
    const position = this.cursors.decode(owner.id, cursor);
    if (!position)
      throw new BadRequestException('cursor is malformed or was not issued by this service');
    return position;
  }

  private notFound(id: string): NotFoundException {
    return new NotFoundException(`todo ${id} not found`);
  }
}
