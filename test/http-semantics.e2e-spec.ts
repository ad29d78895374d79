import type { TodoDto, TodoPageDto } from '../src/todos/dto/todo.dto.js';
import { expectError, send, useApi } from './support/api.js';
import { useTwoSpawnedApis } from './support/spawned-api.js';

const DATABASE = 'todo_e2e_http';

/** Methods, media types and conditional requests as RFC 9110 has them. */
describe('HTTP semantics (e2e)', () => {
  const api = useApi(DATABASE, { resetEach: true, env: { CORS_ORIGINS: 'https://app.example' } });

  const create = async (content: string) =>
    (await api.request<TodoDto>('POST', '/todos', { json: { content } })).body;

  describe('methods', () => {
    it.each([
      ['PUT', '/todos', 'GET, HEAD, POST, OPTIONS'],
      ['DELETE', '/todos', 'GET, HEAD, POST, OPTIONS'],
      ['POST', '/todos/0123456789abcdef01234567', 'GET, HEAD, PATCH, DELETE, OPTIONS'],
      ['PUT', '/todo', 'GET, HEAD, POST, OPTIONS'],
      ['PATCH', '/todos/exports/1/download', 'GET, HEAD, OPTIONS'],
      // A path of its own beside a parametric one: not a todo id of the wrong form (400).
      ['PATCH', '/todos/exports', 'POST, OPTIONS'],
      ['GET', '/todos/exports', 'POST, OPTIONS'],
      ['POST', '/health/ready', 'GET, HEAD, OPTIONS'],
    ])('%s %s is a 405 with Allow: %s', async (method, path, allow) => {
      const response = await api.request(method, path);
      expectError(response, 405);
      expect(sorted(response.headers.get('allow'))).toEqual(sorted(allow));
    });

    it('answers OPTIONS with 204 and Allow, and an unknown path with 404 still', async () => {
      const options = await api.request('OPTIONS', '/todos');
      expect(options.status).toBe(204);
      expect(options.text).toBe('');
      expect(sorted(options.headers.get('allow'))).toEqual(sorted('GET, HEAD, POST, OPTIONS'));
      const exports = await api.request('OPTIONS', '/todos/exports');
      expect([exports.status, exports.headers.get('allow')]).toEqual([204, 'POST, OPTIONS']);
      expectError(await api.request('OPTIONS', '/nowhere'), 404);
      expectError(await api.request('PUT', '/nowhere'), 404);
    });

    it('answers a CORS preflight of an allowed origin with the headers clients need', async () => {
      const preflight = await api.request('OPTIONS', '/todos', {
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, idempotency-key, if-match',
        },
      });
      expect(preflight.status).toBe(204);
      const allowed = preflight.headers.get('access-control-allow-headers')?.toLowerCase() ?? '';
      for (const header of [
        'authorization',
        'content-type',
        'idempotency-key',
        'if-none-match',
        'if-match',
      ]) {
        expect(allowed.split(',').map((h) => h.trim())).toContain(header);
      }
      const read = await api.request('GET', '/todos', {
        headers: { origin: 'https://app.example' },
      });
      const exposed = read.headers.get('access-control-expose-headers')?.toLowerCase() ?? '';
      for (const header of ['etag', 'location', 'retry-after', 'x-request-id']) {
        expect(exposed.split(',').map((h) => h.trim())).toContain(header);
      }
    });

    it('answers HEAD wherever GET is answered, with the headers and no body', async () => {
      const todo = await create('headed');
      for (const path of ['/todos', `/todos/${todo.id}`, '/todo', '/health/live']) {
        const get = await api.request('GET', path);
        const head = await api.request('HEAD', path);
        expect([path, head.status]).toEqual([path, 200]);
        expect(head.text).toBe('');
        expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
        if (path !== '/health/live') expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
      }
    });
  });

  describe('media types', () => {
    it.each([
      ['text/plain on POST /todos', 'POST', '/todos', 'text/plain', 'content=x'],
      ['XML on POST /todos', 'POST', '/todos', 'application/xml', '<content>x</content>'],
      ['a form on PATCH', 'PATCH', '/todos/ID', 'application/x-www-form-urlencoded', 'content=x'],
      [
        'a form on POST /todos/exports',
        'POST',
        '/todos/exports',
        'application/x-www-form-urlencoded',
        'format=csv',
      ],
      ['text/plain on POST /todo', 'POST', '/todo', 'text/plain', 'content=x'],
    ])('refuses %s with 415, changing nothing', async (_, method, path, type, data) => {
      const todo = await create('kept');
      const response = await api.request(method, path.replace('ID', todo.id), {
        raw: { type, body: data },
      });
      expectError(response, 415);
      const page = await api.request<TodoPageDto>('GET', '/todos');
      expect(page.body.items).toEqual([todo]);
    });

    it('takes the types each operation declares', async () => {
      const form = await api.request<TodoDto>('POST', '/todos', { form: { content: 'a form' } });
      expect(form.status).toBe(201);
      const patched = await api.request('PATCH', `/todos/${form.body.id}`, {
        raw: { type: 'application/json; charset=utf-8', body: '{"content":"json"}' },
      });
      expect(patched.status).toBe(200);
    });
  });

  describe('conditional requests', () => {
    it('tags every cacheable GET; a matching If-None-Match is a 304 on a miss and on a hit', async () => {
      const todo = await create('tagged');
      for (const path of ['/todos?limit=5', `/todos/${todo.id}`, '/todo']) {
        const first = await api.request('GET', path);
        const etag = first.headers.get('etag') ?? '';
        expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
        const again = await api.request('GET', path);
        expect(again.headers.get('x-cache')).toBe('HIT');
        expect(again.headers.get('etag')).toBe(etag);

        await api.cache.invalidate(); // the next read is a miss: same bytes, same tag
        for (const expected of ['MISS', 'HIT']) {
          const conditional = await api.request('GET', path, {
            headers: { 'if-none-match': `"other", ${etag}` },
          });
          expect([path, conditional.status, conditional.headers.get('x-cache')]).toEqual([
            path,
            304,
            expected,
          ]);
          expect(conditional.text).toBe('');
          expect(conditional.headers.get('etag')).toBe(etag);
        }
        expect(
          (await api.request('GET', path, { headers: { 'if-none-match': '"old"' } })).status,
        ).toBe(200);
      }
    });

    it('changes the tag with the view', async () => {
      const todo = await create('before');
      const tagOf = async (path: string) => (await api.request('GET', path)).headers.get('etag');
      const [list, item] = [await tagOf('/todos'), await tagOf(`/todos/${todo.id}`)];
      const patched = await api.request('PATCH', `/todos/${todo.id}`, {
        json: { content: 'after' },
      });
      expect(await tagOf('/todos')).not.toBe(list);
      expect(await tagOf(`/todos/${todo.id}`)).not.toBe(item);
      // The change's answer carries the new tag: a client can chain edits without a GET.
      expect(patched.headers.get('etag')).toBe(await tagOf(`/todos/${todo.id}`));
      const stale = await api.request('GET', `/todos/${todo.id}`, {
        headers: { 'if-none-match': item ?? '' },
      });
      expect(stale.status).toBe(200);
    });

    it('makes PATCH and DELETE under If-Match only while the todo is as the client saw it', async () => {
      const todo = await create('shared');
      const seen = (await api.request('GET', `/todos/${todo.id}`)).headers.get('etag') ?? '';

      // Another client changes it first: the first client's edit is refused, unseen change kept.
      const other = await api.request('PATCH', `/todos/${todo.id}`, {
        json: { content: 'theirs' },
      });
      const mine = await api.request('PATCH', `/todos/${todo.id}`, {
        json: { content: 'mine' },
        headers: { 'if-match': seen },
      });
      expectError(mine, 412);
      expectError(
        await api.request('DELETE', `/todos/${todo.id}`, { headers: { 'if-match': seen } }),
        412,
      );
      expect((await api.request<TodoDto>('GET', `/todos/${todo.id}`)).body.content).toBe('theirs');

      // With the current tag (or *) the change goes through.
      const current = other.headers.get('etag') ?? '';
      const retried = await api.request<TodoDto>('PATCH', `/todos/${todo.id}`, {
        json: { content: 'mine' },
        headers: { 'if-match': current },
      });
      expect(retried.status).toBe(200);
      expect(retried.body.content).toBe('mine');
      const star = await api.request('PATCH', `/todos/${todo.id}`, {
        json: { is_finished: true },
        headers: { 'if-match': '*' },
      });
      expect(star.status).toBe(200);
      // The weak form of the tag, as nginx's gzip passes it on, names the same state.
      const tag = star.headers.get('etag') ?? '';
      expectError(
        await api.request('DELETE', `/todos/${todo.id}`, { headers: { 'if-match': 'W/"other"' } }),
        412,
      );
      expect(
        (await api.request('DELETE', `/todos/${todo.id}`, { headers: { 'if-match': `W/${tag}` } }))
          .status,
      ).toBe(204);
      // Gone: a 404, whatever the precondition.
      expectError(
        await api.request('PATCH', `/todos/${todo.id}`, {
          json: { content: 'x' },
          headers: { 'if-match': tag },
        }),
        404,
      );
    });
  });

  describe('If-Match across two API processes', () => {
    const [a, b] = useTwoSpawnedApis(DATABASE);

    it('lets exactly one of two racing edits with the same If-Match through', async () => {
      for (let round = 0; round < 20; round++) {
        const todo = await create(`race ${round}`);
        const tag = (await send(a.url, 'GET', `/todos/${todo.id}`)).headers.get('etag') ?? '';
        const edits = await Promise.all(
          [a, b].map((server, i) =>
            send<TodoDto>(server.url, 'PATCH', `/todos/${todo.id}`, {
              json: { content: `edit ${i}` },
              headers: { 'if-match': tag },
            }),
          ),
        );
        const statuses = edits.map((edit) => edit.status).sort();
        expect(statuses).toEqual([200, 412]);
        const winner = edits.find((edit) => edit.status === 200)?.body.content;
        expect((await send<TodoDto>(b.url, 'GET', `/todos/${todo.id}`)).body.content).toBe(winner);
      }
    });
  });
});

const sorted = (allow: string | null) =>
  (allow ?? '')
    .split(',')
    .map((method) => method.trim())
    .sort();
