// The API's response bodies, and guards that accept a parsed body only when it has that
// shape, so checks fail on a wrong body and not only on a wrong status.
import type { JSONObject, JSONValue } from 'k6';
// The types generated from the OpenAPI document (`npm run openapi`); only types, which k6's
// esbuild strips, so the scripts still run without the file beside them.
import type { components } from '../../test/client/schema.d.ts';

export type Todo = components['schemas']['Todo'];
export type TodoPage = components['schemas']['TodoPage'];

const OBJECT_ID = /^[0-9a-f]{24}$/;

function isObject(value: JSONValue | undefined): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDate(value: JSONValue | undefined): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function isDateOrNull(value: JSONValue | undefined): value is string | null {
  return value === null || isDate(value);
}

export function asTodo(value: JSONValue | undefined): Todo | undefined {
  if (!isObject(value)) return undefined;
  const { id, content, is_finished, created_at, finished_at, remind_at, reminded_at } = value;
  if (typeof id !== 'string' || !OBJECT_ID.test(id)) return undefined;
  // Only types here: documents older than the API's rules (say, migrated ones) must pass.
  if (typeof content !== 'string') return undefined;
  if (typeof is_finished !== 'boolean' || !isDate(created_at)) return undefined;
  if (!isDateOrNull(finished_at) || !isDateOrNull(remind_at) || !isDateOrNull(reminded_at)) {
    return undefined;
  }
  return { id, content, is_finished, created_at, finished_at, remind_at, reminded_at };
}

/** An array of at most `limit` todos, newest first. */
export function asTodoList(value: JSONValue | undefined, limit: number): Todo[] | undefined {
  if (!Array.isArray(value) || value.length > limit) return undefined;
  const todos: Todo[] = [];
  for (const item of value) {
    const todo = asTodo(item);
    if (todo === undefined) return undefined;
    const previous = todos[todos.length - 1];
    if (previous !== undefined && Date.parse(previous.created_at) < Date.parse(todo.created_at)) {
      return undefined;
    }
    todos.push(todo);
  }
  return todos;
}

export function asTodoPage(value: JSONValue | undefined, limit: number): TodoPage | undefined {
  if (!isObject(value)) return undefined;
  const items = asTodoList(value.items, limit);
  const cursor = value.next_cursor;
  if (items === undefined || !(cursor === null || typeof cursor === 'string')) return undefined;
  return { items, next_cursor: cursor };
}
