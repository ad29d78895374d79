import createClient, { type Client } from 'openapi-fetch';
import { parse } from 'csv-parse/sync';
import type { components, paths } from './client/schema.js';
import { freshEmail, PASSWORD } from './support/auth.js';
import { useApi } from './support/api.js';
import { until } from './support/wait.js';
import { startWorker, stopWorker, type TestWorker } from './support/worker.js';

const DATABASE = 'todo_e2e_generated_client';

type Todo = components['schemas']['Todo'];

/**
 * A client as API users make one: types generated from the document by openapi-typescript
 * (test/client/schema.d.ts, held to the served document by openapi.e2e-spec.ts) and
 * openapi-fetch, with nothing written by hand about the API's shapes. `tsc` checks this file
 * against those types, so a renamed field, operation or parameter fails the type check.
 */
describe('a client generated from the document (e2e, real worker)', () => {
  const api = useApi(DATABASE);
  let worker: TestWorker;
  let client: Client<paths>;

  beforeAll(async () => {
    worker = await startWorker(DATABASE);
    client = createClient<paths>({ baseUrl: api.url });
  });
  afterAll(async () => {
    await stopWorker(worker);
  });

  it('registers, logs in, creates, reads, pages, changes, exports, downloads and deletes', async () => {
    const credentials = { email: freshEmail('client'), password: PASSWORD };
    const registered = await client.POST('/auth/register', { body: credentials });
    expect(registered.response.status).toBe(201);
    const login = await client.POST('/auth/login', { body: credentials });
    if (!login.data) throw new Error(`login failed: ${login.response.status}`);
    const token = login.data.token;
    client.use({
      onRequest: ({ request }) => {
        request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    });

    // Create three, one with a reminder; the answer's Location names the new todo.
    const created: Todo[] = [];
    for (const content of ['first', 'second', 'third']) {
      const { data, response } = await client.POST('/todos', {
        body: { content, remind_at: content === 'third' ? '2030-01-01T09:00:00.000Z' : null },
      });
      if (!data) throw new Error(`create failed: ${response.status}`);
      expect(response.headers.get('location')).toBe(`/todos/${data.id}`);
      created.push(data);
    }
    const [first, , third] = created;
    expect(third.remind_at).toBe('2030-01-01T09:00:00.000Z');

    const got = await client.GET('/todos/{id}', { params: { path: { id: first.id } } });
    expect(got.data).toEqual(first);
    const etag = got.response.headers.get('etag');
    expect(etag).toMatch(/^"/);

    // A page of 2, then the next by its cursor: all three, newest first, none twice.
    const page = await client.GET('/todos', { params: { query: { limit: 2 } } });
    expect(page.data?.items.map((t) => t.content)).toEqual(['third', 'second']);
    const cursor = page.data?.next_cursor;
    if (!cursor) throw new Error('no next_cursor on a first page of 2 of 3');
    const next = await client.GET('/todos', { params: { query: { limit: 2, cursor } } });
    expect(next.data).toEqual({ items: [first], next_cursor: null });

    const patched = await client.PATCH('/todos/{id}', {
      params: { path: { id: first.id }, header: { 'If-Match': etag ?? '' } },
      body: { content: 'first, changed', is_finished: true },
    });
    expect(patched.data).toMatchObject({
      id: first.id,
      content: 'first, changed',
      is_finished: true,
    });

    // Export as CSV and as JSON, follow each job to its end, download both as the bytes.
    const downloads: Record<string, { type: string | null; text: string }> = {};
    for (const format of ['csv', 'json'] as const) {
      const accepted = await client.POST('/todos/exports', { body: { format } });
      if (!accepted.data) throw new Error(`export failed: ${accepted.response.status}`);
      const { job_id: id } = accepted.data;
      expect(accepted.response.headers.get('location')).toBe(`/jobs/exports/${id}`);
      const job = await until(
        async () =>
          (await client.GET('/jobs/{queue}/{id}', { params: { path: { queue: 'exports', id } } }))
            .data,
        (view) => view?.state === 'completed' || view?.state === 'failed',
        { timeoutMs: 20_000, intervalMs: 100, message: `export ${id} to end` },
      );
      expect(job?.state).toBe('completed');
      const file = await client.GET('/todos/exports/{id}/download', {
        params: { path: { id } },
        parseAs: 'text',
      });
      expect(file.response.status).toBe(200);
      downloads[format] = {
        type: file.response.headers.get('content-type'),
        text: String(file.data),
      };
    }
    expect(downloads.csv.type).toBe('text/csv; charset=utf-8');
    const rows = parse<Record<string, string>>(downloads.csv.text, { columns: true });
    expect(rows.map((row) => [row.content, row.is_finished]).sort()).toEqual([
      ['first, changed', 'true'],
      ['second', 'false'],
      ['third', 'false'],
    ]);
    expect(downloads.json.type).toBe('application/json; charset=utf-8');
    const exported = JSON.parse(downloads.json.text) as Todo[];
    expect(exported.map((t) => t.id).sort()).toEqual(created.map((t) => t.id).sort());

    const deleted = await client.DELETE('/todos/{id}', { params: { path: { id: first.id } } });
    expect(deleted.response.status).toBe(204);
    const gone = await client.GET('/todos/{id}', { params: { path: { id: first.id } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
