import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Types } from 'mongoose';
import type { JobViewDto } from '../src/job-status/job-view.dto.js';
import { QUEUES } from '../src/queues/queues.constants.js';
import { formerReminderJobId, reminderJobId } from '../src/todos/reminder-job.js';
import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { expectError, send, startApi, type TestApi } from './support/api.js';
import { spawnApi } from './support/spawned-api.js';
import { todoDoc } from './support/todo-docs.js';
import { sleep, until } from './support/wait.js';
import { WebhookReceiver } from './support/webhook.js';
import { startWorker, stopWorker, type TestWorker } from './support/worker.js';

const DATABASE = 'todo_e2e_reminders';
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const DAY = 24 * 3600 * 1000;

describe('reminders and maintenance (e2e, real worker)', () => {
  let api: TestApi;
  let worker: TestWorker;
  const webhook = new WebhookReceiver();

  beforeAll(async () => {
    await webhook.start();
    const env = { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '100' };
    api = await startApi(DATABASE, env);
    worker = await startWorker(DATABASE, {
      ...env,
      REMINDER_WEBHOOK_URL: webhook.url,
      RETENTION_DAYS: '30',
      MAINTENANCE_INTERVAL_MS: '1000',
    });
  });
  afterAll(async () => {
    await stopWorker(worker);
    await api.close();
    await webhook.stop();
  });

  const create = async (remindAt?: string) =>
    (
      await api.request<TodoDto>('POST', '/todos', {
        json: { content: 'call mum', remind_at: remindAt },
      })
    ).body;
  const get = async (id: string) => (await api.request<TodoDto>('GET', `/todos/${id}`)).body;
  /** The reminder job of a todo for the time it has (or had, when given). */
  const jobPath = (todo: TodoDto, remindAt = todo.remind_at) =>
    `/jobs/reminders/${reminderJobId(api.ownerId, todo.id, new Date(remindAt ?? ''))}`;
  const job = async (todo: TodoDto) => (await api.request<JobViewDto>('GET', jobPath(todo))).body;
  /** Polls every 25 ms for up to 10 s. */
  const soon = (message: string) => ({ timeoutMs: 10_000, intervalMs: 25, message });
  /** The todo once its reminder has fired. */
  const untilReminded = (id: string) =>
    until(
      () => get(id),
      (t) => t.reminded_at !== null,
      soon(`todo ${id} reminded`),
    );
  const untilJob = (todo: TodoDto, state: JobViewDto['state']) =>
    until(
      () => job(todo),
      (j) => j.state === state,
      soon(`reminder of ${todo.id} ${state}`),
    );

  it('fires within a second of its time, sets reminded_at, and the cached views see it', async () => {
    const todo = await create(inMs(1_500));
    expect((await api.request('GET', `/todos/${todo.id}`)).headers.get('x-cache')).toBe('MISS');
    expect((await api.request('GET', `/todos/${todo.id}`)).headers.get('x-cache')).toBe('HIT');
    const reminded = await untilReminded(todo.id);
    const lateMs = Date.parse(reminded.reminded_at ?? '') - Date.parse(todo.remind_at ?? '');
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(1_000);
    // reminded_at is set just before the webhook call: wait for the call to land.
    await until(
      () => webhook.callsFor(todo.id).length,
      (calls) => calls === 1,
      soon('the webhook called once'),
    );
    expect(webhook.callsFor(todo.id)[0].idempotencyKey).toBe(
      `${reminderJobId(api.ownerId, todo.id, new Date(todo.remind_at ?? ''))}-${todo.remind_at}`,
    );
    expect(webhook.callsFor(todo.id)[0].ownerId).toBe(api.ownerId);
  });

  it('replaces the reminder when rescheduled', async () => {
    const todo = await create(inMs(60_000));
    expect((await job(todo)).state).toBe('delayed');
    const moved = await api.request<TodoDto>('PATCH', `/todos/${todo.id}`, {
      json: { remind_at: inMs(1_000) },
    });
    expect(moved.status).toBe(200);
    expect((await api.request('GET', jobPath(todo))).status).toBe(404);
    const reminded = await untilReminded(todo.id);
    expect(
      Date.parse(reminded.reminded_at ?? '') - Date.parse(moved.body.remind_at ?? ''),
    ).toBeLessThan(1_000);
    expect(webhook.callsFor(todo.id)).toHaveLength(1);
  });

  it('fires once, for the time the todo ends with, when reschedules race on two API processes', async () => {
    const other = await spawnApi(DATABASE, { JOB_ATTEMPTS: '3' });
    try {
      const todo = await create(inMs(3_600_000));
      const times = Array.from({ length: 20 }, (_, i) => inMs(5_000 + i * 50));
      const answers = await Promise.all(
        times.map((remind_at, i) =>
          send(i % 2 ? other.url : api.url, 'PATCH', `/todos/${todo.id}`, { json: { remind_at } }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(times.map(() => 200));
      const final = await get(todo.id);
      expect((await job(final)).state).toBe('delayed');
      const reminded = await untilReminded(todo.id);
      expect(
        Date.parse(reminded.reminded_at ?? '') - Date.parse(final.remind_at ?? ''),
      ).toBeLessThan(1_000);
      // Past the last of the times: the jobs of the replaced ones did nothing.
      await sleep(Math.max(0, Date.parse(times.at(-1) ?? '') - Date.now()) + 1_000);
      const calls = webhook.callsFor(todo.id);
      expect(calls).toHaveLength(1);
      expect(calls[0].idempotencyKey).toBe(
        `${jobPath(final).split('/').at(-1)}-${final.remind_at}`,
      );
    } finally {
      await other.stop();
    }
  });

  it('cancels the reminder when the todo is finished or deleted', async () => {
    const finished = await create(inMs(1_000));
    const deleted = await create(inMs(1_000));
    await api.request('PATCH', `/todos/${finished.id}`, { json: { is_finished: true } });
    await api.request('DELETE', `/todos/${deleted.id}`);
    expect((await api.request('GET', jobPath(finished))).status).toBe(404);
    expect((await api.request('GET', jobPath(deleted))).status).toBe(404);
    await sleep(2_000);
    expect((await get(finished.id)).reminded_at).toBeNull();
    expect(webhook.callsFor(finished.id)).toHaveLength(0);
    expect(webhook.callsFor(deleted.id)).toHaveLength(0);
  });

  it('still fires a delayed job of the former id form, scheduled before ids named the owner', async () => {
    const remindAt = new Date(Date.now() + 1_000);
    const doc = todoDoc({ owner_id: new Types.ObjectId(api.ownerId), remind_at: remindAt });
    await api.todos.insertMany([doc]);
    await api.cache.invalidate();
    const id = doc._id.toHexString();
    const jobId = formerReminderJobId(id, remindAt);
    const queue = api.app.get<Queue>(getQueueToken(QUEUES.reminders), { strict: false });
    const data = { todo_id: id, owner_id: api.ownerId, remind_at: remindAt.toISOString() };
    // Under the name reminder jobs had then, too.
    await queue.add('remind', data, { jobId, delay: remindAt.getTime() - Date.now() });

    await untilReminded(id);
    await until(
      () => webhook.callsFor(id).length,
      (calls) => calls === 1,
      soon('the webhook called once'),
    );
    expect(webhook.callsFor(id)[0]).toMatchObject({
      idempotencyKey: `${jobId}-${remindAt.toISOString()}`,
      ownerId: api.ownerId,
    });
  });

  it('retries a failing webhook: two failures then success is three attempts', async () => {
    const todo = await create(inMs(500));
    webhook.plans.set(todo.id, [500, 503]);
    const done = await untilJob(todo, 'completed');
    expect(done.attempts_made).toBe(3);
    expect(webhook.callsFor(todo.id).map((c) => c.status)).toEqual([500, 503, 200]);
    expect((await get(todo.id)).reminded_at).not.toBeNull();
  });

  it('keeps a job that always fails in the failed set, with its reason', async () => {
    const todo = await create(inMs(500));
    webhook.plans.set(todo.id, [500, 500, 500, 500]);
    const failed = await untilJob(todo, 'failed');
    expect(failed).toMatchObject({ attempts_made: 3, failed_reason: 'webhook answered 500' });
  });

  it('refuses a past or malformed remind_at, writing nothing', async () => {
    const before = await api.todos.countDocuments();
    expectError(
      await api.request('POST', '/todos', { json: { content: 'x', remind_at: inMs(-60_000) } }),
      400,
    );
    expectError(
      await api.request('POST', '/todos', { json: { content: 'x', remind_at: 'soon' } }),
      400,
    );
    expectError(
      await api.request('POST', '/todos', { json: { content: 'x', remind_at: 12 } }),
      400,
    );
    expect(await api.todos.countDocuments()).toBe(before);
  });

  it('deletes finished todos past the retention period, in the background', async () => {
    const old = new Date(Date.now() - 40 * DAY);
    const [stale, recent, open] = [
      todoDoc({ content: 'stale', created_at: old, is_finished: true, finished_at: old }),
      todoDoc({ content: 'recent', created_at: old, is_finished: true, finished_at: new Date() }),
      todoDoc({ content: 'open', created_at: old, is_finished: false, finished_at: null }),
    ];
    await api.todos.insertMany([stale, recent, open]);
    await until(
      () => api.todos.exists({ _id: stale._id }).exec(),
      (exists) => exists === null,
      soon('the stale todo deleted'),
    );
    expect(await api.todos.exists({ _id: recent._id })).not.toBeNull();
    expect(await api.todos.exists({ _id: open._id })).not.toBeNull();
  });

  it('deletes ended sessions in the background, and keeps live ones', async () => {
    const sessions = api.todos.db.collection('sessions');
    const session = (hash: string, endsAt: Date) => ({
      token_hash: hash,
      owner_id: new Types.ObjectId(api.ownerId),
      created_at: new Date(),
      expires_at: endsAt,
      last_used_at: new Date(),
      ends_at: endsAt,
    });
    await sessions.insertMany([
      session('ended-a-while-ago', new Date(Date.now() - DAY)),
      session('still-live', new Date(Date.now() + DAY)),
    ]);
    await until(
      () => sessions.countDocuments({ token_hash: 'ended-a-while-ago' }),
      (count) => count === 0,
      soon('the ended session deleted'),
    );
    expect(await sessions.countDocuments({ token_hash: 'still-live' })).toBe(1);
    // The default account's own session lives on: requests still pass.
    expect((await api.request('GET', '/todos')).status).toBe(200);
  });
});
