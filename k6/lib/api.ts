// Typed calls to the todo API. Each tags its metrics with `op` (what the thresholds select
// on) and `name` (one series per route, not one per id or cursor) and checks status and
// body shape, so a run that "succeeds" against a broken service fails its checks.
import { check, type JSONValue } from 'k6';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { Rate } from 'k6/metrics';
import { BASE_URL } from './env.ts';
import { asTodo, asTodoList, asTodoPage, type Todo, type TodoPage } from './shapes.ts';

/** Request types; thresholds hold a p95 budget for each. */
export type Op = 'page1' | 'page' | 'legacy' | 'item' | 'create' | 'update' | 'delete';
/** Requests made by setup and teardown: never part of the measured mix. */
type Housekeeping = 'housekeeping';

type Response = RefinedResponse<ResponseType | undefined>;

const rateLimited = new Rate('rate_limited');
const cacheHits = new Rate('cache_hits');

// 2xx/3xx are successes for http_req_failed; 429 joins them when the scenario expects the
// service (or nginx) to shed load.
const SUCCESS = { min: 200, max: 399 };
let tolerate429 = false;
/** The run's session token (see `authenticate`); every call but setup's sends it. */
let token: string | undefined;

/** Makes every following call of this VU act as the account of `session`. */
export function authenticate(session: string): void {
  token = session;
}

/**
 * Whether a 429 is a legitimate answer in this run. Call once from the scenario's init code:
 * stress and spike runs expect a rate-limited front to shed load, a load run does not.
 */
export function expectRateLimiting(expected: boolean): void {
  tolerate429 = expected;
  http.setResponseCallback(
    expected ? http.expectedStatuses(SUCCESS, 429) : http.expectedStatuses(SUCCESS),
  );
}

export function send(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  op: Op | Housekeeping,
  name: string,
  body?: object,
): Response {
  // No content-type without a body: Fastify refuses an empty body declared as JSON.
  const headers: Record<string, string> =
    body === undefined ? {} : { 'Content-Type': 'application/json' };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  const res = http.request(
    method,
    `${BASE_URL}${path}`,
    body === undefined ? null : JSON.stringify(body),
    {
      headers,
      tags: { op, name },
      // Setup and teardown wait out a 429 (see patiently), so it is no failure for them.
      ...(op === 'housekeeping' ? { responseCallback: http.expectedStatuses(SUCCESS, 429) } : {}),
    },
  );
  if (op !== 'housekeeping') rateLimited.add(res.status === 429, { op });
  return res;
}

export function jsonBody(res: Response): JSONValue | undefined {
  try {
    return res.json();
  } catch {
    return undefined;
  }
}

/**
 * Checks one response: `expected` status and a body that `parse` accepts. A tolerated 429
 * is checked for its Retry-After instead and yields no value.
 */
function verify<T>(
  res: Response,
  op: Op,
  expected: number,
  parse: (res: Response) => T | undefined,
): T | undefined {
  if (res.status === 429 && tolerate429) {
    check(
      res,
      { 'throttled: 429 has Retry-After': (r) => r.headers['Retry-After'] !== undefined },
      { op },
    );
    return undefined;
  }
  let value: T | undefined;
  const ok = check(
    res,
    {
      [`${op}: status ${expected}`]: (r) => r.status === expected,
      [`${op}: body shape`]: (r) => (value = parse(r)) !== undefined,
    },
    { op },
  );
  return ok ? value : undefined;
}

function query(params: Record<string, string | number | undefined>): string {
  const pairs = Object.keys(params)
    .filter((key) => params[key] !== undefined)
    .map((key) => `${key}=${encodeURIComponent(String(params[key]))}`);
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

/** Page 1 exactly as most clients ask for it (no query string), the cache's hottest entry. */
export function firstPage(): TodoPage | undefined {
  const res = send('GET', '/todos', 'page1', 'GET /todos');
  const cache = res.headers['X-Cache'];
  // Only when the header reaches us: a proxy that hides it must not read as a 0% hit rate.
  if (cache !== undefined) cacheHits.add(cache === 'HIT', { op: 'page1' });
  return verify(res, 'page1', 200, (r) => asTodoPage(jsonBody(r), 10));
}

export function page(limit: number, cursor?: string): TodoPage | undefined {
  const res = send(
    'GET',
    `/todos${query({ limit, cursor })}`,
    'page',
    cursor === undefined ? 'GET /todos?limit' : 'GET /todos?cursor',
  );
  return verify(res, 'page', 200, (r) => asTodoPage(jsonBody(r), limit));
}

/** The original service's route: a bare array of at most 10 todos. */
export function legacyPage(start: number): Todo[] | undefined {
  const res = send('GET', `/todo${query({ start })}`, 'legacy', 'GET /todo');
  return verify(res, 'legacy', 200, (r) => asTodoList(jsonBody(r), 10));
}

export function getTodo(id: string): Todo | undefined {
  const res = send('GET', `/todos/${id}`, 'item', 'GET /todos/{id}');
  return verify(res, 'item', 200, (r) => {
    const todo = asTodo(jsonBody(r));
    return todo?.id === id ? todo : undefined;
  });
}

export function createTodo(content: string): Todo | undefined {
  const res = send('POST', '/todos', 'create', 'POST /todos', { content });
  return verify(res, 'create', 201, (r) => {
    const todo = asTodo(jsonBody(r));
    const located = todo !== undefined && r.headers['Location'] === `/todos/${todo.id}`;
    return located && todo.content === content.trim() ? todo : undefined;
  });
}

export interface TodoChange {
  content?: string;
  is_finished?: boolean;
}

export function updateTodo(id: string, change: TodoChange): Todo | undefined {
  const res = send('PATCH', `/todos/${id}`, 'update', 'PATCH /todos/{id}', change);
  return verify(res, 'update', 200, (r) => {
    const todo = asTodo(jsonBody(r));
    if (todo?.id !== id) return undefined;
    // finished_at is set exactly while the todo is finished.
    const finishedAsAsked =
      (change.is_finished === undefined || todo.is_finished === change.is_finished) &&
      todo.is_finished === (todo.finished_at !== null);
    const contentAsAsked = change.content === undefined || todo.content === change.content.trim();
    return finishedAsAsked && contentAsAsked ? todo : undefined;
  });
}

export function deleteTodo(id: string): boolean {
  const res = send('DELETE', `/todos/${id}`, 'delete', 'DELETE /todos/{id}');
  return (
    verify(res, 'delete', 204, (r) => (r.body === null || r.body === '' ? true : undefined)) ===
    true
  );
}
