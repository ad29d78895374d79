import { Types } from 'mongoose';
import type { Owner } from '../../src/auth/owner.js';
import { loadConfig } from '../../src/config/configuration.js';
import { etagOfJson } from '../../src/http/entity-tags.js';
import type { RedisLock } from '../../src/redis/redis-lock.js';
import type { RemindersScheduler } from '../../src/todos/reminders.scheduler.js';
import { ALICE } from './owners.js';
import { strictFake } from './strict-fake.js';
import type { ListTodosQueryDto } from '../../src/todos/dto/list-todos-query.dto.js';
import { FirstPageCarry } from '../../src/todos/first-page-carry.js';
import { PageCursorCodec } from '../../src/todos/page-cursor.js';
import { TodoReader } from '../../src/todos/todo-reader.js';
import type { TodoRecord } from '../../src/todos/todo.schema.js';
import type { TodoChange, TodoFields, TodosRepository } from '../../src/todos/todos.repository.js';
import { TodosService } from '../../src/todos/todos.service.js';

export { ALICE, BOB, LEGACY } from './owners.js';

/** Builders and the service over strict fakes, for the TodosService specs. */
export const T1 = new Date('2030-01-01T09:00:00.000Z');
export const T2 = new Date('2030-02-01T09:00:00.000Z');

/** A stored todo of ALICE's, unfinished and without reminder unless told otherwise. */
export function todo(fields: Partial<TodoRecord> = {}): TodoRecord {
  return {
    _id: new Types.ObjectId(),
    owner_id: new Types.ObjectId(ALICE.id),
    content: 'Buy milk',
    created_at: new Date('2026-11-27T10:00:00.000Z'),
    is_finished: false,
    finished_at: null,
    remind_at: null,
    reminded_at: null,
    ...fields,
  };
}

/** What the repository's update answers for `before` changed by `set`. */
export const change = (before: TodoRecord, set: TodoFields): TodoChange => ({
  before,
  after: { ...before, ...set },
});

export const query = (fields: Partial<ListTodosQueryDto>): ListTodosQueryDto => ({
  limit: 10,
  ...fields,
});

/** A repository whose `update` applies the change to `before`, as MongoDB would. */
export const updating = (before: TodoRecord) => ({
  update: (_owner: Owner, _id: string, set: TodoFields) => Promise.resolve(change(before, set)),
});

export const cursors = new PageCursorCodec(loadConfig({}));

/** The ETag of a stored todo's API form, as `GET /todos/{id}` tags it. */
export const tagOf = (stored: TodoRecord) => etagOfJson(new TodoReader().read(stored, 'a spec'));

/** TodosService over a repository and a scheduler that fail on any call not given here. */
export function setup(
  todos: Partial<Record<keyof TodosRepository, unknown>> = {},
  reminders: Partial<Record<keyof RemindersScheduler, unknown>> = {},
) {
  const repository = strictFake<TodosRepository>('todos', todos);
  const scheduler = strictFake<RemindersScheduler>('reminders', reminders);
  // The lock of If-Match, held at once (the real one is Redis; see the e2e spec).
  const locks = strictFake<RedisLock>('locks', {
    holding: (_owner: string, _name: string, work: () => Promise<unknown>) => work(),
  });
  return {
    service: new TodosService(
      repository,
      cursors,
      scheduler,
      new TodoReader(),
      locks,
      new FirstPageCarry(cursors, new TodoReader()),
    ),
    repository,
    scheduler,
    locks,
  };
}
