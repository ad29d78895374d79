import { Types } from 'mongoose';
import type { ExportAcceptedDto } from '../src/exports/dto/create-export.dto.js';
import type { JobViewDto } from '../src/job-status/job-view.dto.js';
import type { TodoDto, TodoPageDto } from '../src/todos/dto/todo.dto.js';
import { send, useApi, type ApiResponse } from './support/api.js';
import { defaultEmailOf } from './support/auth.js';
import { until } from './support/wait.js';
import { startWorker, stopWorker, type TestWorker } from './support/worker.js';

const DATABASE = 'todo_e2e_original_data';

/** Epoch seconds as the original's `time.time()` wrote them, and the instant they name. */
const FLOAT = 1796111889.28;
const FLOAT_ISO = new Date(1796111889280).toISOString();
const id = () => new Types.ObjectId();

interface Shape {
  name: string;
  doc: Record<string, unknown>;
  /** What `GET /todos/{id}` answers for it (the fields given); undefined: not a todo (404). */
  reads?: Partial<TodoDto>;
}

const ownId = id();
/**
 * Documents as the original wrote them, as other tools or hands may have, and some that
 * are not todos at all. Every one is inserted as is, past Mongoose. (FerretDB refuses to
 * store a Decimal128 or a NaN, so those are in the unit spec of `storedInstant` only.)
 */
const SHAPES: Shape[] = [
  {
    name: "the original's open todo",
    doc: { content: 'float', created_at: FLOAT, is_finished: false, finished_at: null },
    reads: { created_at: FLOAT_ISO, is_finished: false, finished_at: null, remind_at: null },
  },
  {
    name: "the original's finished todo",
    doc: { content: 'done', created_at: FLOAT - 10, is_finished: true, finished_at: FLOAT },
    reads: { is_finished: true, finished_at: FLOAT_ISO, reminded_at: null },
  },
  {
    name: 'integer epoch seconds',
    doc: { content: 'int', created_at: 1796111800, is_finished: false, finished_at: null },
    reads: { created_at: new Date(1796111800_000).toISOString() },
  },
  {
    name: 'an ISO-8601 string',
    doc: { content: 'iso', created_at: '2026-11-27T10:00:00Z', is_finished: false },
    reads: { created_at: '2026-11-27T10:00:00.000Z', finished_at: null },
  },
  {
    name: 'epoch seconds as a string',
    doc: { content: 'string epoch', created_at: '1796111700.5' },
    reads: { created_at: new Date(1796111700_500).toISOString(), is_finished: false },
  },
  {
    name: 'content alone',
    doc: { _id: ownId, content: 'bare' },
    reads: { created_at: ownId.getTimestamp().toISOString(), is_finished: false },
  },
  {
    name: 'extra fields',
    doc: { content: 'extra', created_at: FLOAT - 20, tags: ['a'], priority: 3, nested: { x: 1 } },
    reads: { content: 'extra' },
  },
  {
    name: 'wrong types everywhere but content',
    doc: {
      content: 'wrong',
      created_at: true,
      is_finished: 'yes',
      finished_at: 'garbage',
      remind_at: {},
    },
    reads: { is_finished: false, finished_at: null, remind_at: null },
  },
  {
    name: 'a null created_at',
    doc: { content: 'null time', created_at: null, is_finished: false },
    reads: { content: 'null time' },
  },
  {
    name: 'an out-of-range number',
    doc: { content: 'huge', created_at: 1e20, finished_at: -1e20 },
    reads: { finished_at: null, is_finished: false },
  },
  {
    name: 'an object',
    doc: { content: 'object time', created_at: { at: 'no' } },
    reads: { content: 'object time' },
  },
  {
    name: "this service's own form",
    doc: { content: 'own', created_at: new Date('2026-11-30T00:00:00Z'), is_finished: false },
    reads: { created_at: '2026-11-30T00:00:00.000Z' },
  },
  { name: 'no content', doc: { created_at: FLOAT - 30, is_finished: false } },
  { name: 'a number as content', doc: { content: 42, created_at: FLOAT - 40 } },
  { name: 'a string _id', doc: { _id: 'legacy-1', content: 'string id', created_at: FLOAT - 50 } },
];

const readable = SHAPES.filter((shape) => shape.reads);

describe('documents of any shape (e2e, real MongoDB and worker)', () => {
  // The original's documents have no owner: the test's default account holds them.
  const legacyOwner = { LEGACY_OWNER: defaultEmailOf(DATABASE) };
  const api = useApi(DATABASE, { env: legacyOwner });
  let worker: TestWorker;
  const ids = new Map<string, string>();
  /** Every response of this file, checked for 5xx at the end. */
  const responses: { what: string; status: number; text: string }[] = [];
  const request = async <T>(method: string, path: string, json?: unknown) => {
    const response: ApiResponse<T> = await api.request<T>(method, path, json ? { json } : {});
    responses.push({ what: `${method} ${path}`, status: response.status, text: response.text });
    return response;
  };

  beforeAll(async () => {
    // As the README says to: the worker, too, asks whose the ownerless todos are as it exports.
    worker = await startWorker(DATABASE, legacyOwner);
    const docs = SHAPES.map((shape) => ({ _id: id(), ...shape.doc }));
    // Past Mongoose and its casting: the documents exactly as another writer left them.
    await api.todos.collection.insertMany(docs);
    await api.cache.invalidate();
    SHAPES.forEach((shape, i) => ids.set(shape.name, String(docs[i]._id)));
  });
  afterAll(async () => {
    await stopWorker(worker);
  });

  it.each(SHAPES.map((shape) => [shape.name, shape] as const))(
    'reads %s by id',
    async (_name, shape) => {
      const todoId = ids.get(shape.name) ?? '';
      if (!/^[0-9a-f]{24}$/.test(todoId)) return; // no route can name a string _id
      const response = await request<TodoDto>('GET', `/todos/${todoId}`);
      if (!shape.reads) {
        expect(response.status).toBe(404);
        return;
      }
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: todoId, ...shape.reads });
      expect(Number.isNaN(Date.parse(response.body.created_at))).toBe(false);
    },
  );

  it('lists every readable document, skipping the rest, and no page breaks', async () => {
    const list = await request<TodoPageDto>('GET', '/todos?limit=100');
    expect(list.status).toBe(200);
    expect(list.body.items.map((todo) => todo.content).sort()).toEqual(
      readable.map((shape) => shape.doc.content as string).sort(),
    );
    for (let start = 0; start < SHAPES.length + 2; start++) {
      expect((await request('GET', `/todos?limit=3&start=${start}`)).status).toBe(200);
    }
    for (const finished of ['true', 'false']) {
      expect((await request('GET', `/todos?finished=${finished}`)).status).toBe(200);
    }
  });

  it.each([1, 2, 3, 5])(
    'walks every readable document exactly once by cursor, across types, %i per page',
    async (limit) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages <= SHAPES.length; pages++) {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = await request<TodoPageDto>('GET', `/todos?limit=${limit}${query}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((todo) => todo.id));
        cursor = page.body.next_cursor;
        if (!cursor) break;
      }
      expect(cursor).toBeNull();
      expect(seen).toHaveLength(new Set(seen).size);
      expect(new Set(seen)).toEqual(new Set(readable.map((shape) => ids.get(shape.name))));
    },
  );

  it('serves the original routes over every shape', async () => {
    for (const start of ['0', '5', '10', '100']) {
      expect((await request('GET', `/todo?start=${start}`)).status).toBe(200);
    }
  });

  it("changes and deletes the original's documents; a document that is no todo stays as it was", async () => {
    const original = ids.get("the original's open todo") ?? '';
    const patched = await request<TodoDto>('PATCH', `/todos/${original}`, { is_finished: true });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      content: 'float',
      created_at: FLOAT_ISO,
      is_finished: true,
    });
    expect(Number.isNaN(Date.parse(patched.body.finished_at ?? ''))).toBe(false);

    const notATodo = ids.get('a number as content') ?? '';
    const before = await api.todos.collection.findOne({ _id: new Types.ObjectId(notATodo) });
    expect((await request('PATCH', `/todos/${notATodo}`, { content: 'now a todo' })).status).toBe(
      404,
    );
    expect((await request('DELETE', `/todos/${notATodo}`)).status).toBe(404);
    expect(await api.todos.collection.findOne({ _id: new Types.ObjectId(notATodo) })).toEqual(
      before,
    );

    const extra = ids.get('extra fields') ?? '';
    expect((await request('PATCH', `/todos/${extra}`, { content: 'still extra' })).status).toBe(
      200,
    );
    expect(await api.todos.collection.findOne({ _id: new Types.ObjectId(extra) })).toMatchObject({
      content: 'still extra',
      tags: ['a'],
      priority: 3,
    });
  });

  it.each(['json', 'csv'])(
    'exports every readable document as %s, and the worker goes on serving',
    async (format) => {
      const accepted = await request<ExportAcceptedDto>('POST', '/todos/exports', { format });
      expect(accepted.status).toBe(202);
      const job = await until(
        async () =>
          (await request<JobViewDto>('GET', `/jobs/exports/${accepted.body.job_id}`)).body,
        (view) => view.state === 'completed' || view.state === 'failed',
        { timeoutMs: 30_000, intervalMs: 100, message: `export ${accepted.body.job_id}` },
      );
      expect(job).toMatchObject({ state: 'completed', result: { count: readable.length } });
      const file = await request('GET', `/todos/exports/${accepted.body.job_id}/download`);
      expect(file.status).toBe(200);
      expect(worker.process.child.exitCode).toBeNull();
      expect((await send(worker.healthUrl, 'GET', '/health/live')).status).toBe(200);
    },
  );

  it('counts what it skipped in a metric', async () => {
    const metrics = await request('GET', '/metrics');
    const count = /^todos_unreadable_total (\d+)$/m.exec(metrics.text);
    expect(Number(count?.[1])).toBeGreaterThan(0);
  });

  afterAll(() => {
    const failures = responses.filter((response) => response.status >= 500);
    expect(failures).toEqual([]);
  });
});
