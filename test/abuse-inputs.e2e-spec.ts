import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { expectError, send, type ApiResponse, type RequestOptions } from './support/api.js';
import { spawnApi, type SpawnedApi } from './support/spawned-api.js';

const DATABASE = 'todo_e2e_abuse_inputs';

/**
 * A hang guard, not a benchmark: a refused input costs microseconds, a quadratic one seconds
 * at 60,000 characters. At the 8,000 a URL or header carries, a quadratic pattern would cost
 * only tens of milliseconds: there the ReDoS rules of `npm run lint` are the guard, and this
 * suite checks the answer is a 400.
 */
const QUICKLY_MS = 2_000;

/**
 * The worst input for a pattern: long, and refused only at its last character, so a pattern
 * that backtracks tries every split of the body before failing (60,000 characters stalled
 * the loop for seconds). Bodies fit the 64 KiB limit; what travels in the request line or a
 * header fits Node's 16 KiB of headers, so each reaches the validation it attacks.
 */
const BODY = 60_000;
const LINE = 8_000;
const endingInNewline = (length: number, unit = 'a', tail = '\n') =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + tail;

// Four entries always (a longer callback would read as Jest's `done`).
type Worst = [name: string, method: string, path: string, options: RequestOptions];

const json = (body: unknown): RequestOptions => ({ json: body });
const SCOPES = ['todos:read'];

describe('the worst inputs to every pattern (e2e, a spawned API, real MongoDB and Redis)', () => {
  let api: SpawnedApi;
  let todo: TodoDto;
  /** `:todo` in a path names the todo made before the tests (unknown when they are listed). */
  const request = <T>(method: string, path: string, options: RequestOptions = {}) =>
    send<T>(api.url, method, path.replace(':todo', todo.id), options);

  beforeAll(async () => {
    api = await spawnApi(DATABASE);
    todo = (await send<TodoDto>(api.url, 'POST', '/todos', json({ content: 'kept' }))).body;
  });
  afterAll(async () => {
    await api.stop();
  });

  const worst = (): Worst[] => [
    ['a token name', 'POST', '/me/tokens', json({ name: endingInNewline(BODY), scopes: SCOPES })],
    [
      'a blank token name',
      'POST',
      '/me/tokens',
      json({ name: endingInNewline(BODY, ' '), scopes: SCOPES }),
    ],
    [
      'a token name ending in NEL',
      'POST',
      '/me/tokens',
      json({ name: endingInNewline(BODY, 'a', '\u0085'), scopes: SCOPES }),
    ],
    [
      'a register email',
      'POST',
      '/auth/register',
      json({ email: endingInNewline(BODY, 'a', '@example.com\n'), password: 'x'.repeat(12) }),
    ],
    [
      'a login email of labels',
      'POST',
      '/auth/login',
      json({ email: `a@${endingInNewline(BODY, 'a.')}`, password: 'x'.repeat(12) }),
    ],
    ['content', 'POST', '/todos', json({ content: endingInNewline(BODY) })],
    ['changed content', 'PATCH', '/todos/:todo', json({ content: endingInNewline(BODY) })],
    [
      'a reminder time',
      'POST',
      '/todos',
      json({ content: 'x', remind_at: `2030-01-01T00:00:00.${endingInNewline(BODY, '0', 'Z\n')}` }),
    ],
    ["the original's form content", 'POST', '/todo', { form: { content: endingInNewline(BODY) } }],
    ['a cursor', 'GET', `/todos?cursor=${encodeURIComponent(endingInNewline(LINE, 'A'))}`, {}],
    [
      'a cursor of its own form',
      'GET',
      `/todos?cursor=${endingInNewline(LINE, 'A', '.')}${'A'.repeat(21)}!`,
      {},
    ],
    ['a todo id', 'GET', `/todos/${endingInNewline(LINE, 'a', '%0A')}`, {}],
    ['a job id', 'GET', `/jobs/exports/${endingInNewline(LINE, 'a', '%0A')}`, {}],
    [
      'an Idempotency-Key',
      'POST',
      '/todos',
      {
        json: { content: 'x' },
        headers: { 'idempotency-key': endingInNewline(LINE, 'a', '\u00e9') },
      },
    ],
  ];

  it.each(worst())(
    'refuses %s with a 400, quickly, data unchanged',
    async (_name, method, path, options) => {
      const before = (await request<{ items: TodoDto[] }>('GET', '/todos?limit=100')).text;
      const started = performance.now();
      const response = await request(method, path, options);
      expect(performance.now() - started).toBeLessThan(QUICKLY_MS);
      expectError(response, 400);
      expect((await request('GET', '/todos?limit=100')).text).toBe(before);
    },
  );

  it('names the token name as what was refused (not merely another field of the body)', async () => {
    const [[, method, path, options]] = worst();
    const response = await request<{ message: string[] }>(method, path, options);
    expect(response.body.message).toContain(
      'name must not be blank nor contain control characters',
    );
  });

  it('keeps liveness 200 while the worst inputs arrive, three of each at once', async () => {
    const probes: number[] = [];
    let attacking = true;
    const poll = (async () => {
      while (attacking) probes.push((await fetch(`${api.url}/health/live`)).status);
    })();
    const answers: ApiResponse<unknown>[] = await Promise.all(
      [1, 2, 3].flatMap(() =>
        worst().map(([, method, path, options]) => request(method, path, options)),
      ),
    );
    attacking = false;
    await poll;
    // A probe reports the longest stall since the previous one: this one covers the last
    // stretch of the attack whatever the polling caught.
    probes.push((await fetch(`${api.url}/health/live`)).status);
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 400));
    expect(probes.length).toBeGreaterThan(1);
    expect(probes.filter((status) => status !== 200)).toEqual([]);
  });
});

describe('a 304 and its document (e2e)', () => {
  let api: SpawnedApi;
  beforeAll(async () => {
    api = await spawnApi(`${DATABASE}_etag`);
    await send(api.url, 'POST', '/todos', json({ content: 'tagged' }));
  });
  afterAll(async () => {
    await api.stop();
  });

  it('sends the ETag a 200 sends, and every 304 of the document declares it', async () => {
    const first = await send(api.url, 'GET', '/todos');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await send(api.url, 'GET', '/todos', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);

    type Responses = Record<string, { headers?: Record<string, { required?: boolean }> }>;
    const document = (
      await send<{ paths: Record<string, Record<string, { responses: Responses }>> }>(
        api.url,
        'GET',
        '/docs-json',
      )
    ).body;
    const notModified = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => operation.responses?.['304'])
        .map(([method, operation]) => ({
          at: `${method} ${path}`,
          etag: operation.responses['304'].headers?.ETag?.required,
        })),
    );
    expect(notModified.map((entry) => entry.at)).toEqual(
      expect.arrayContaining(['get /todos', 'get /todos/{id}', 'get /todo']),
    );
    expect(notModified).toEqual(notModified.map(({ at }) => ({ at, etag: true })));
  });
});
