import { Types } from 'mongoose';
import type { Owner } from '../auth/owner.js';
import type { StoredTodo } from './stored-todo.js';
import type { TodoFields } from './stored-form.js';
import type { Todo } from './todo.schema.js';

/** What a new todo is made of when the repository stores it. */
export type NewTodo = TodoFields & { _id: Types.ObjectId; created_at: Date };

/**
 * How `TodosRepository` writes a todo: the core's one question about todos to the original
 * service's compatibility (`src/original/`), which provides it — this service's own form
 * (`OWN_SHAPE`), or, during a cutover with STORE_ORIGINAL_TIMES, the original's. Declared
 * here so that no core folder imports `original/`. Reads need no such question: the reader
 * (`readStoredTodo`) takes every form a document may be in, whoever wrote it.
 */
export abstract class TodoShape {
  /** The document a new todo of `owner`'s is inserted as. */
  abstract created(owner: Owner, todo: NewTodo): StoredTodo;

  /** The fields a change sets, as stored. */
  abstract changed(set: TodoFields): Partial<Todo>;
}

/** This service's own form: times as BSON dates, every field present, the owner's id. */
export const OWN_SHAPE: TodoShape = {
  created: (owner, { _id, content, created_at, remind_at }) => ({
    _id,
    owner_id: new Types.ObjectId(owner.id),
    content,
    created_at,
    is_finished: false,
    finished_at: null,
    remind_at: remind_at ?? null,
    reminded_at: null,
  }),
  changed: (set) => set,
};
