import type { TodoDto } from '../todos/dto/todo.dto.js';
import type { StoredTodo } from '../todos/stored-todo.js';
import type { LegacyTodoDto } from './dto/legacy-todo.dto.js';

/** A time as the original wrote it: its own epoch seconds unchanged, a date of ours converted. */
function epochSeconds(stored: unknown, read: string | null): number | null {
  if (typeof stored === 'number' && Number.isFinite(stored)) return stored;
  return read === null ? null : Date.parse(read) / 1000;
}

/** A readable todo (`todo`, read from `stored`) in the original's `GET /todo` form. */
export function toLegacyTodo(stored: StoredTodo, todo: TodoDto): LegacyTodoDto {
  return {
    _id: { $oid: todo.id },
    content: todo.content,
    created_at: epochSeconds(stored.created_at, todo.created_at) ?? 0,
    is_finished: todo.is_finished,
    finished_at: epochSeconds(stored.finished_at, todo.finished_at),
  };
}
