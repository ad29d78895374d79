import mongoose from 'mongoose';
import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import {
  expectError,
  startApi,
  type ApiResponse,
  type RequestOptions,
  type TestApi,
} from './support/api.js';

// Always four entries: Jest's it.each takes a callback with more parameters than the row
// has values as one that wants `done`, and the test would wait for it forever.
type Attack = [name: string, method: string, path: string, options: RequestOptions];

/** A hang guard, not a benchmark: each hostile request must be answered well within it. */
const QUICKLY_MS = 2_000;

/** What an error body must never carry: stack frames, file paths, driver or parser internals. */
const LEAKS = [
  /\bat \S+ \(/,
  /\bat (file|node):/,
  /node_modules/,
  /\/(src|dist|test)\/\S+\.[jt]s/,
  /\.[jt]s:\d+/,
  /Mongo(Server|Network)?Error|MongooseError|BSON|E11000|Cast to \w+ failed/i,
  /\$(where|expr|jsonSchema|text) is not allowed/,
  /RangeError|Maximum call stack/,
];

const json = (body: unknown): RequestOptions => ({ json: body });
const raw = (body: string, type = 'application/json'): RequestOptions => ({ raw: { body, type } });
const form = (body: string) => raw(body, 'application/x-www-form-urlencoded');

describe('hardening against hostile input (e2e)', () => {
  let api: TestApi;
  let todo: TodoDto;
  /** The operations Mongoose sends to the database, as `collection.method`. */
  const operations: string[] = [];

  beforeAll(async () => {
    api = await startApi('todo_e2e_hardening');
    for (const content of ['first', 'second']) {
      todo = (await api.request<TodoDto>('POST', '/todos', { json: { content } })).body;
    }
    api.todos.db.set('debug', (collection: string, method: string) => {
      operations.push(`${collection}.${method}`);
    });
  });
  afterAll(async () => {
    api.todos.db.set('debug', false);
    await api.close();
  });

  const snapshot = async () => JSON.stringify(await api.todos.find().sort({ _id: 1 }).lean());

  /** Sends one request, timing it; returns the response and how many queries it caused. */
  async function attack(method: string, path: string, options: RequestOptions) {
    operations.length = 0;
    const started = performance.now();
    const response = await api.request(method, path, options);
    const ms = performance.now() - started;
    return { response, ms, queries: [...operations] };
  }

  function expectNoLeak(response: ApiResponse<unknown>): void {
    for (const leak of LEAKS) expect(response.text).not.toMatch(leak);
  }

  /** Each attack answers 400 quickly, leaks nothing, runs no query; the data is unchanged. */
  async function expectAllRefused(attacks: Attack[]): Promise<void> {
    const before = await snapshot();
    for (const [name, method, path, options] of attacks) {
      const { response, ms, queries } = await attack(method, path, options);
      expect({ name, status: response.status, queries }).toEqual({
        name,
        status: 400,
        queries: [],
      });
      expectError(response, 400);
      expectNoLeak(response);
      expect(ms).toBeLessThan(QUICKLY_MS);
    }
    expect(await snapshot()).toBe(before);
  }

  const id = () => todo.id;
  const operatorBodies = (): Attack[] => [
    ['$gt as content', 'POST', '/todos', json({ content: { $gt: '' } })],
    ['$ne as content', 'POST', '/todos', json({ content: { $ne: null } })],
    ['$regex as content', 'POST', '/todos', json({ content: { $regex: '.*' } })],
    ['$where beside content', 'POST', '/todos', json({ content: 'a', $where: 'sleep(5000)' })],
    ['$nor at the top', 'POST', '/todos', json({ $nor: [{ content: 'a' }] })],
    ['$gt nested in remind_at', 'POST', '/todos', json({ content: 'a', remind_at: { $gt: '' } })],
    ['operator in an array', 'POST', '/todos', json({ content: [{ $gt: '' }] })],
    ['$ne as is_finished', 'PATCH', `/todos/${id()}`, json({ is_finished: { $ne: true } })],
    ['$where as content', 'PATCH', `/todos/${id()}`, json({ content: { $where: 'true' } })],
    ['$set as the update', 'PATCH', `/todos/${id()}`, json({ $set: { is_finished: true } })],
    [
      '$ne as the export filter',
      'POST',
      '/todos/exports',
      json({ format: 'json', finished: { $ne: true } }),
    ],
    ['form content[$ne]', 'POST', '/todos', form('content[$ne]=x')],
    ['form content[$regex]', 'POST', '/todos', form('content=a&content[$regex]=.*')],
    ['form $where', 'POST', '/todos', form('content=a&$where=sleep(5000)')],
  ];
  const operatorQueries: Attack[] = [
    ['?finished[$ne]=x', 'GET', '/todos?finished[$ne]=x', {}],
    ['?is_finished[$ne]=x', 'GET', '/todos?is_finished[$ne]=x', {}],
    ['?cursor[$gt]=', 'GET', '/todos?cursor[$gt]=', {}],
    ['?cursor[$regex]=.*', 'GET', '/todos?cursor[$regex]=.*', {}],
    ['?limit[$gt]=1', 'GET', '/todos?limit[$gt]=1', {}],
    ['?start[$gt]=0', 'GET', '/todos?start[$gt]=0', {}],
    ['?$where=', 'GET', '/todos?$where=sleep(5000)', {}],
    ['?$nor[0][is_finished]=true', 'GET', '/todos?$nor[0][is_finished]=true', {}],
    ['an operator as the id', 'GET', `/todos/${encodeURIComponent('{"$ne":null}')}`, {}],
  ];

  describe('operator payloads', () => {
    it.each([...operatorQueries])(
      'refuses %s with 400 before any query',
      async (_name, method, path, options) => {
        const before = await snapshot();
        const { response, ms, queries } = await attack(method, path, options);
        expectError(response, 400);
        expectNoLeak(response);
        expect(queries).toEqual([]);
        expect(ms).toBeLessThan(QUICKLY_MS);
        expect(await snapshot()).toBe(before);
      },
    );

    it('refuses operators in JSON and form bodies with 400 before any query', async () => {
      await expectAllRefused(operatorBodies());
    });

    it('would take an operator that slipped through as a literal (sanitizeFilter is on)', async () => {
      expect(mongoose.get('sanitizeFilter')).toBe(true);
      expect(mongoose.get('strictQuery')).toBe(true);
      // As a request value would arrive: parsed JSON, not an object built by the service.
      // Sanitized, `{$ne: null}` is a literal to compare with, not a string: refused by the
      // schema's cast before anything is sent (unsanitized, it would match every todo).
      const untrusted = JSON.parse('{"content":{"$ne":null}}') as Record<string, unknown>;
      operations.length = 0;
      await expect(api.todos.find(untrusted).lean()).rejects.toThrow(/Cast to string failed/);
      await expect(api.todos.find({ $where: 'true' }).lean()).rejects.toThrow(/not allowed/);
      expect(operations).toEqual([]);
      // The service's own operators still work: the cursor walk reaches the second page.
      const page = await api.request<{ next_cursor: string }>('GET', '/todos?limit=1');
      const next = await api.request<{ items: TodoDto[] }>(
        'GET',
        `/todos?limit=1&cursor=${page.body.next_cursor}`,
      );
      expect(next.body.items.map((t) => t.content)).toEqual(['first']);
    });
  });

  describe('prototype pollution', () => {
    const pollutions = (): Attack[] => [
      ['JSON __proto__', 'POST', '/todos', raw('{"content":"a","__proto__":{"polluted":true}}')],
      [
        'JSON constructor.prototype',
        'POST',
        '/todos',
        raw('{"content":"a","constructor":{"prototype":{"polluted":true}}}'),
      ],
      [
        'JSON __proto__ nested in a value',
        'POST',
        '/todos',
        raw('{"content":"a","remind_at":{"__proto__":{"polluted":true}}}'),
      ],
      [
        'JSON __proto__ in a patch',
        'PATCH',
        `/todos/${id()}`,
        raw('{"is_finished":true,"__proto__":{"polluted":true}}'),
      ],
      ['form __proto__', 'POST', '/todos', form('content=a&__proto__=polluted')],
      ['form __proto__[polluted]', 'POST', '/todos', form('content=a&__proto__[polluted]=true')],
      [
        'form constructor[prototype]',
        'POST',
        '/todos',
        form('content=a&constructor[prototype][polluted]=true'),
      ],
      ['form constructor.prototype', 'POST', '/todos', form('content=a&constructor.prototype=x')],
      ['form constructor', 'POST', '/todos', form('content=a&constructor=x')],
      ['JSON prototype key', 'POST', '/todos', json({ content: 'a', prototype: { x: 1 } })],
      ['query __proto__', 'GET', '/todos?__proto__=x', {}],
      ['query constructor', 'GET', '/todos?constructor=x', {}],
      ['query __proto__[polluted]', 'GET', '/todos?__proto__[polluted]=true', {}],
      ['query constructor[prototype]', 'GET', '/todos?constructor[prototype][polluted]=1', {}],
    ];

    it('refuses __proto__ and constructor.prototype keys with 400, and nothing is polluted', async () => {
      await expectAllRefused(pollutions());
      // The API runs in this process: a polluted prototype would show here.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });
  });

  describe('oversized and deeply nested input', () => {
    const MB = 1024 * 1024;
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const large = (): [
      name: string,
      method: string,
      path: string,
      options: RequestOptions,
      statuses: number[],
    ][] => [
      ['a 1 MB JSON body', 'POST', '/todos', json({ content: 'x'.repeat(MB) }), [413]],
      ['a 1 MB form body', 'POST', '/todo', form(`content=${'x'.repeat(MB)}`), [413]],
      ['a 1 MB patch', 'PATCH', `/todos/${id()}`, json({ content: 'x'.repeat(MB) }), [413]],
      [
        'JSON nested 10,000 levels in a value',
        'POST',
        '/todos',
        raw(`{"content":${deep(10_000)}}`),
        [400, 413],
      ],
      [
        'JSON objects nested 10,000 levels',
        'POST',
        '/todos',
        raw(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`),
        [400, 413],
      ],
      ['JSON nested 100,000 levels', 'POST', '/todos', raw(deep(100_000)), [400, 413]],
      ['a 20 KB query string', 'GET', `/todos?cursor=${'a'.repeat(20_000)}`, {}, [414, 431]],
      ['an 8 KB cursor', 'GET', `/todos?cursor=${'a'.repeat(8_000)}`, {}, [400]],
      ['2,000 query parameters', 'GET', `/todos?${'x=1&'.repeat(2_000)}`, {}, [400]],
      ['a 5,000-character id', 'GET', `/todos/${'a'.repeat(5_000)}`, {}, [400]],
      ['a malformed percent-encoding', 'GET', '/todos/%E0%A4%A', {}, [400]],
      ['a 20 KB path', 'GET', `/${'x/'.repeat(10_000)}`, {}, [404, 414, 431]],
      ['a 20 KB header', 'GET', '/todos', { headers: { 'x-padding': 'a'.repeat(20_000) } }, [431]],
    ];

    it('answers each with a 4xx, quickly, without crashing or leaking', async () => {
      const before = await snapshot();
      for (const [name, method, path, options, statuses] of large()) {
        const { response, ms } = await attack(method, path, options);
        expect({ name, status: response.status }).toEqual({
          name,
          status: statuses.includes(response.status) ? response.status : statuses,
        });
        // Node answers an over-long request head itself, with no body; all else is ours.
        if (response.status !== 431) expectError(response, response.status);
        expectNoLeak(response);
        expect({ name, quick: ms < QUICKLY_MS }).toEqual({ name, quick: true });
      }
      expect(await snapshot()).toBe(before);
      // Still serving.
      expect((await api.request('GET', '/todos')).status).toBe(200);
    });

    it.each([
      ['101', '/todos?limit=101'],
      ['1000000', '/todos?limit=1000000'],
      ['99999999999', '/todos?limit=99999999999'],
      ['1e9', '/todos?limit=1e9'],
    ])('refuses limit=%s above the cap with 400', async (_limit, path) => {
      const { response, queries } = await attack('GET', path, {});
      expectError(response, 400);
      expectNoLeak(response);
      expect(queries).toEqual([]);
    });
  });
});
