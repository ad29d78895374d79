import { parse } from 'csv-parse/sync';
import { Types } from 'mongoose';
import type { ExportAcceptedDto } from '../src/exports/dto/create-export.dto.js';
import { ExportFilesService } from '../src/exports/export-files.service.js';
import type { JobViewDto } from '../src/job-status/job-view.dto.js';
import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { expectError, startApi, type TestApi } from './support/api.js';
import { insertTodos, todoDocs } from './support/todo-docs.js';
import { until } from './support/wait.js';
import { startWorker, stopWorker, type TestWorker } from './support/worker.js';

const DATABASE = 'todo_e2e_exports';
const COUNT = 10_000;

/** Contents that CSV must quote: commas, quotes, line breaks. */
const tricky = (i: number) =>
  [`plain ${i}`, `comma, ${i}`, `"quoted" ${i}`, `line\nbreak ${i}`, `both, "x"\r\n${i}`][i % 5];

describe('exports (e2e, real worker)', () => {
  let api: TestApi;
  let worker: TestWorker | undefined;
  let files: ExportFilesService;
  const finishedIds = new Set<string>();

  beforeAll(async () => {
    api = await startApi(DATABASE);
    files = api.app.get(ExportFilesService);
    const docs = todoDocs(COUNT, (i) => ({
      content: tricky(i),
      is_finished: i % 3 === 0,
      finished_at: i % 3 === 0 ? new Date(Date.UTC(2026, 1, 1)) : null,
    }));
    await insertTodos(api, docs);
    docs.filter((d) => d.is_finished).forEach((d) => finishedIds.add(d._id.toHexString()));
    // Another owner's todos, and the original's (no owner): no export of this owner holds one.
    const others = todoDocs(50, (i) => ({
      content: `not this owner's ${i}`,
      is_finished: i % 2 === 0,
      owner_id: i % 2 ? new Types.ObjectId() : undefined,
    }));
    await insertTodos(api, others);
  });
  // Some tests stop or kill the worker: each starts with one running.
  beforeEach(async () => {
    worker ??= await startWorker(DATABASE);
  });
  afterAll(async () => {
    await stopWorker(worker);
    await api.close();
  });

  const requestExport = async (body: object) => {
    const response = await api.request<ExportAcceptedDto>('POST', '/todos/exports', { json: body });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/jobs/exports/${response.body.job_id}`);
    return response.body.job_id;
  };
  const view = async (id: string) =>
    (await api.request<JobViewDto>('GET', `/jobs/exports/${id}`)).body;

  /** Polls the job until it settles, recording every progress value seen. */
  const settle = (id: string, seen: number[] = []) =>
    until(
      async () => {
        const job = await view(id);
        seen.push(job.progress);
        return job;
      },
      (job) => job.state === 'completed' || job.state === 'failed',
      { timeoutMs: 60_000, intervalMs: 20, message: `job ${id} settling` },
    );

  it(`exports ${COUNT} todos as JSON with monotonic progress, and the file holds exactly them`, async () => {
    const id = await requestExport({ format: 'json' });
    const seen: number[] = [];
    const job = await settle(id, seen);
    expect(job).toMatchObject({ state: 'completed', progress: 100, attempts_made: 1 });
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBeGreaterThan(2); // progress was reported along the way

    const file = await api.request<TodoDto[]>('GET', `/todos/exports/${id}/download`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="todos-${id}.json"`);
    expect(file.body).toHaveLength(COUNT);
    expect(new Set(file.body.map((t) => t.id)).size).toBe(COUNT);
    const stored = await api.todos.find({ owner_id: new Types.ObjectId(api.ownerId) }).lean();
    const contentById = new Map(stored.map((t) => [t._id.toHexString(), t.content]));
    expect(file.body.every((t) => t.content === contentById.get(t.id))).toBe(true);
    expect(await files.countFor(id)).toBe(1);
    // The file records whose it is.
    const [storedFile] = await api.todos.db
      .collection('exports.files')
      .find({ 'metadata.job_id': id })
      .toArray();
    expect((storedFile.metadata as { owner_id: string }).owner_id).toBe(api.ownerId);

    // Accept does not choose: the file is sent as it is, whatever the client asks for.
    for (const accept of ['application/json', 'text/csv', 'application/json;q=0']) {
      const asked = await api.request('GET', `/todos/exports/${id}/download`, {
        headers: { accept },
      });
      expect([asked.status, asked.headers.get('content-type')]).toEqual([
        200,
        'application/json; charset=utf-8',
      ]);
    }
  });

  it('exports only the matching todos as CSV, escaping commas, quotes and line breaks', async () => {
    const id = await requestExport({ format: 'csv', finished: true });
    expect(await settle(id)).toMatchObject({ state: 'completed' });
    const file = await api.request<string>('GET', `/todos/exports/${id}/download`);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // A client asking for JSON only (as generated clients do) still gets the CSV file.
    const asked = await api.request<string>('GET', `/todos/exports/${id}/download`, {
      headers: { accept: 'application/json' },
    });
    expect([asked.status, asked.headers.get('content-type'), asked.text]).toEqual([
      200,
      'text/csv; charset=utf-8',
      file.text,
    ]);
    const rows = parse<Record<string, string>>(file.text, { columns: true });
    expect(rows).toHaveLength(finishedIds.size);
    expect(new Set(rows.map((r) => r.id))).toEqual(finishedIds);
    const stored = await api.todos.find({ is_finished: true }).lean();
    const contentById = new Map(stored.map((t) => [t._id.toHexString(), t.content]));
    expect(rows.every((r) => r.content === contentById.get(r.id) && r.is_finished === 'true')).toBe(
      true,
    );
    expect(
      rows.some(
        (r) => r.content.includes('"') && r.content.includes(',') && r.content.includes('\n'),
      ),
    ).toBe(true);
  });

  it('answers 409 while an export runs and 404 for an unknown one', async () => {
    await stopWorker(worker);
    worker = undefined;
    const id = await requestExport({ format: 'json' });
    expectError(await api.request('GET', `/todos/exports/${id}/download`), 409);
    expectError(await api.request('GET', '/todos/exports/987654/download'), 404);
    worker = await startWorker(DATABASE);
    expect(await settle(id)).toMatchObject({ state: 'completed' });
  });

  it('completes an export whose worker was killed with SIGKILL, leaving exactly one file', async () => {
    const id = await requestExport({ format: 'csv' });
    await until(
      () => view(id),
      (job) => job.progress !== 0,
      { timeoutMs: 15_000, intervalMs: 5, message: 'the export starting' },
    );
    const progressAtKill = (await view(id)).progress;
    await stopWorker(worker, 'SIGKILL');
    worker = await startWorker(DATABASE);
    const job = await settle(id);
    expect(progressAtKill).toBeLessThan(100);
    expect(job.state).toBe('completed');
    expect(await files.countFor(id)).toBe(1);
    const file = await api.request<string>('GET', `/todos/exports/${id}/download`);
    expect(parse(file.text, { columns: true })).toHaveLength(COUNT);
  });

  it('lets the running export finish on SIGTERM, then exits 0', async () => {
    const id = await requestExport({ format: 'json' });
    // Bounded, as before, by the test's own 30 s.
    await until(
      () => view(id),
      (job) => job.state === 'active',
      { timeoutMs: 30_000, intervalMs: 5, message: 'the export running' },
    );
    const exited = stopWorker(worker);
    expect(await exited).toEqual({ code: 0, signal: null });
    worker = undefined;
    const job = await view(id);
    expect(job).toMatchObject({ state: 'completed', progress: 100, attempts_made: 1 });
  });

  it.each([
    ['an unknown format', { format: 'xml' }],
    ['no format', {}],
    ['a non-boolean filter', { format: 'json', finished: 'yes' }],
    ['an unknown field', { format: 'json', limit: 5 }],
  ])('refuses %s with 400', async (_name, body) => {
    expectError(await api.request('POST', '/todos/exports', { json: body }), 400);
  });

  it('answers 404 for unknown queues and jobs, 400 for malformed job ids', async () => {
    expectError(await api.request('GET', '/jobs/exports/424242'), 404);
    expectError(await api.request('GET', '/jobs/nope/1'), 404);
    expectError(await api.request('GET', '/jobs/exports/a%20b'), 400);
    expectError(await api.request('GET', '/todos/exports/$where/download'), 400);
  });
});
