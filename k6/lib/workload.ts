// The traffic one iteration makes, plus setup and teardown. Reads dominate, as they do for a
// todo list; writes touch only todos this run created, which teardown then removes.
import { fail, sleep } from 'k6';
import * as api from './api.ts';
import { BASE_URL, TOKEN } from './env.ts';
import { asTodo, asTodoPage } from './shapes.ts';

export interface RunData {
  /** The token every VU acts with: TODO_TOKEN, or the session of the account this run registered. */
  token: string;
  /** Starts the content of every todo this run creates: how teardown tells them apart. */
  prefix: string;
  /** Server time of the run's first todo; nothing of this run is older. */
  since: string;
}

/** Own todos a VU keeps at most; past it, a create becomes a delete, so the list stays bounded. */
const MAX_OWN = 20;
// Per VU: each VU runs its own copy of this module.
const own: string[] = [];

const pick = <T>(items: readonly T[]): T | undefined =>
  items[Math.floor(Math.random() * items.length)];

function readFirstPage(): void {
  api.firstPage();
}

function readLegacyPage(): void {
  api.legacyPage(0);
}

/** A reader scrolling: page after page by cursor, as a client going deep should. */
function readByCursor(): void {
  const pages = 2 + Math.floor(Math.random() * 3);
  let cursor: string | undefined;
  for (let n = 0; n < pages; n++) {
    const result = api.page(20, cursor);
    if (result === undefined || result.next_cursor === null) return;
    cursor = result.next_cursor;
  }
}

function createOwn(data: RunData): void {
  if (own.length >= MAX_OWN) return deleteOwn(data);
  const todo = api.createTodo(`${data.prefix} buy milk for VU ${__VU}, iteration ${__ITER}`);
  if (todo !== undefined) own.push(todo.id);
}

function readOwn(data: RunData): void {
  const id = pick(own);
  if (id === undefined) return createOwn(data);
  api.getTodo(id);
}

function updateOwn(data: RunData): void {
  const id = pick(own);
  if (id === undefined) return createOwn(data);
  api.updateTodo(
    id,
    Math.random() < 0.7
      ? { is_finished: Math.random() < 0.5 }
      : { content: `${data.prefix} edited by VU ${__VU} at iteration ${__ITER}` },
  );
}

function deleteOwn(data: RunData): void {
  if (own.length === 0) return createOwn(data);
  const [id] = own.splice(Math.floor(Math.random() * own.length), 1);
  if (id !== undefined) api.deleteTodo(id);
}

/** Shares of iterations, in percent. */
const MIX: ReadonlyArray<readonly [number, (data: RunData) => void]> = [
  [70, readFirstPage],
  [5, readLegacyPage],
  [10, readByCursor],
  [5, readOwn],
  [5, createOwn],
  [3, updateOwn],
  [2, deleteOwn],
];

/** One iteration: one action drawn from the mix. */
export function iteration(data: RunData): void {
  api.authenticate(data.token);
  let roll = Math.random() * 100;
  for (const [share, action] of MIX) {
    roll -= share;
    if (roll < 0) return action(data);
  }
}

/**
 * Housekeeping requests wait out a 429 instead of failing: the limit may still be spent
 * from the run itself when teardown starts.
 */
function patiently(send: () => ReturnType<typeof api.send>): ReturnType<typeof api.send> {
  for (let attempt = 1; ; attempt++) {
    const res = send();
    if (res.status !== 429 || attempt === 10) return res;
    sleep(Math.min(Number(res.headers['Retry-After']) || 1, 30));
  }
}

export function setup(): RunData {
  const ready = api.send('GET', '/health/ready', 'housekeeping', 'GET /health/ready');
  if (ready.status !== 200) {
    fail(`${BASE_URL}/health/ready answered ${ready.status}: start the API and its stores first`);
  }
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const prefix = `k6 run ${run}:`;
  const token = TOKEN ?? registerRunAccount(run);
  api.authenticate(token);
  const res = patiently(() =>
    api.send('POST', '/todos', 'housekeeping', 'POST /todos', { content: `${prefix} start` }),
  );
  const marker = asTodo(api.jsonBody(res));
  if (res.status !== 201 || marker === undefined) {
    fail(
      `could not create the run's first todo: ${res.status} ${typeof res.body === 'string' ? res.body : ''}`,
    );
  }
  return { token, prefix, since: marker.created_at };
}

/** Registers an account of the run's own, as a client has (its todos are the only ones it sees); its session token. */
function registerRunAccount(run: string): string {
  const credentials = { email: `k6-${run}@example.com`, password: `k6 password ${run}` };
  const registered = patiently(() =>
    api.send('POST', '/auth/register', 'housekeeping', 'POST /auth/register', credentials),
  );
  if (registered.status !== 201) fail(`could not register the run's account: ${registered.status}`);
  const login = patiently(() =>
    api.send('POST', '/auth/login', 'housekeeping', 'POST /auth/login', credentials),
  );
  const session = api.jsonBody(login) as { token?: unknown } | undefined;
  if (login.status !== 200 || typeof session?.token !== 'string') {
    fail(`could not log in: ${login.status}`);
  }
  return session.token;
}

/** Bounds teardown's walk: 1,000 pages of 100 is far more than any run here creates. */
const MAX_CLEANUP_PAGES = 1000;

/** Deletes every todo this run created: newest first, stopping at the run's first one. */
export function teardown(data: RunData): void {
  api.authenticate(data.token);
  const since = Date.parse(data.since);
  let deleted = 0;
  let leftBehind = 0;
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_CLEANUP_PAGES; pages++) {
    const path = `/todos?limit=100${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const res = patiently(() => api.send('GET', path, 'housekeeping', 'GET /todos?cursor'));
    const page = asTodoPage(api.jsonBody(res), 100);
    if (page === undefined) {
      console.warn(
        `teardown: listing answered ${res.status}; delete todos starting "${data.prefix}" by hand`,
      );
      break;
    }
    const ours = page.items.filter(
      (todo) => Date.parse(todo.created_at) >= since && todo.content.startsWith(data.prefix),
    );
    for (const todo of ours) {
      const gone = patiently(() =>
        api.send('DELETE', `/todos/${todo.id}`, 'housekeeping', 'DELETE /todos/{id}'),
      );
      if (gone.status === 204 || gone.status === 404) deleted++;
      else leftBehind++;
    }
    const pastTheRun = page.items.some((todo) => Date.parse(todo.created_at) < since);
    if (pastTheRun || page.next_cursor === null) break;
    cursor = page.next_cursor;
  }
  console.info(`teardown: deleted ${deleted} todos of this run, ${leftBehind} left behind`);
}
