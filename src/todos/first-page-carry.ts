import { Injectable } from '@nestjs/common';
import { BSON } from 'mongodb';
import type { Owner } from '../auth/owner.js';
import { viewName } from '../cache/cache-key.factory.js';
import type { CacheViewOptions } from '../cache/cache-view.options.js';
import type { ViewCarry } from '../cache/view-carry.js';
import { DEFAULT_PAGE_SIZE, ListTodosQueryDto } from './dto/list-todos-query.dto.js';
import type { TodoDto, TodoPageDto } from './dto/todo.dto.js';
import { typeGroup } from './keyset.js';
import { PageCursorCodec, type PagePosition } from './page-cursor.js';
import { storedIdOf, type StoredTodo } from './stored-todo.js';
import { TodoReader } from './todo-reader.js';

/** `GET /todos`'s view in the response cache (`@CacheView()`). */
export const LIST_VIEW: CacheViewOptions = {
  name: 'list',
  query: ListTodosQueryDto,
  defaults: { start: 0 },
};

/** The view a create carries: the owner's first page as `GET /todos` asks for it. */
const FIRST_PAGE = viewName(LIST_VIEW, '', { limit: DEFAULT_PAGE_SIZE });

/** Whether a list query asks for that first page: its view is the one a create carries. */
export const isFirstPage = (query: ListTodosQueryDto) =>
  viewName(LIST_VIEW, '', query) === FIRST_PAGE;

/** The note of a page whose rows have these stored `created_at`: Extended JSON keeps types. */
const noteOf = (times: unknown[]) =>
  BSON.EJSON.stringify(
    times.map((time) => time ?? null),
    { relaxed: true },
  );

interface Row {
  item: TodoDto;
  position: PagePosition;
}

/** A number to order two `created_at` of one type group by; `undefined`: not one of these. */
function instant(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  return value === null || value === undefined ? 0 : undefined;
}

/**
 * Negative when `a` comes first newest-first (`created_at` desc in BSON's order of types,
 * then `_id` desc), positive when `b` does; `undefined` for values this does not order (a
 * string, a Decimal128…), which the page's query would: the carry then gives up.
 */
function newestFirst(a: PagePosition, b: PagePosition): number | undefined {
  const groups = typeGroup(a.createdAt ?? null) - typeGroup(b.createdAt ?? null);
  if (groups !== 0) return groups;
  const [x, y] = [instant(a.createdAt), instant(b.createdAt)];
  if (x === undefined || y === undefined) return undefined;
  if (x !== y) return y - x;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
}

/**
 * The owner's cached first page as a create leaves it: the new todo put in its place, the
 * page cut to its size, its cursor then naming the new last row. This needs each row's
 * stored `created_at` with its BSON type (the order and the cursor are of stored values, and
 * the body shows only instants): the page's note, written when the page was read.
 */
@Injectable()
export class FirstPageCarry {
  constructor(
    private readonly cursors: PageCursorCodec,
    private readonly reader: TodoReader,
  ) {}

  /**
   * The note of a first page read from `rows`: their stored `created_at`, as Extended JSON;
   * none when a row was unreadable (skipped from the items, it is not on the page).
   */
  note(rows: StoredTodo[], items: TodoDto[]): string | undefined {
    return items.length === rows.length ? noteOf(rows.map((row) => row.created_at)) : undefined;
  }

  /** The carry of the owner's first page across the create of `created`. */
  after(owner: Owner, created: StoredTodo): ViewCarry {
    const todo = this.reader.read(created, 'a created todo');
    const id = storedIdOf(created);
    return {
      view: FIRST_PAGE,
      next: ({ body, note }) => {
        if (todo === undefined || id === undefined) return undefined;
        const page = JSON.parse(body) as TodoPageDto;
        const parsed = BSON.EJSON.parse(note, { relaxed: true }) as unknown;
        if (!Array.isArray(parsed) || parsed.length !== page.items.length) return undefined;
        const times = parsed as unknown[];
        // A page read after the insert holds the todo already.
        if (page.items.some((item) => item.id === id)) return { body, note };
        const rows: Row[] = page.items.map((item, at) => ({
          item,
          position: { createdAt: times[at], id: item.id },
        }));
        const mine = { item: todo, position: { createdAt: created.created_at, id } };
        const at = this.placeOf(mine, rows);
        if (at === undefined) return undefined;
        // Past the last row of a page with more after it: on a later page, this one unchanged.
        if (at === rows.length && page.next_cursor !== null) return { body, note };
        rows.splice(at, 0, mine);
        const kept = rows.slice(0, DEFAULT_PAGE_SIZE);
        const last = kept.at(-1);
        const next: TodoPageDto = {
          items: kept.map((row) => row.item),
          next_cursor:
            rows.length > kept.length && last
              ? this.cursors.encode(owner.id, last.position)
              : page.next_cursor,
        };
        return {
          body: JSON.stringify(next),
          note: noteOf(kept.map((row) => row.position.createdAt)),
        };
      },
    };
  }

  /** The index the new row goes in; `undefined` when it cannot be ordered among the rows. */
  private placeOf(mine: Row, rows: Row[]): number | undefined {
    for (let at = 0; at < rows.length; at++) {
      const order = newestFirst(mine.position, rows[at].position);
      if (order === undefined) return undefined;
      if (order < 0) return at;
    }
    return rows.length;
  }
}
