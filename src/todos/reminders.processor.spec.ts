import { jest } from '@jest/globals';
import type { Job } from 'bullmq';
import { loadConfig, type AppConfig } from '../config/configuration.js';
import { ALICE } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import type { StoredTodo } from './stored-todo.js';
import type { TodosRepository } from './todos.repository.js';
import { formerReminderJobId, reminderJobId } from './reminder-job.js';
import { RemindersProcessor } from './reminders.processor.js';
import type { ReminderJobData } from '../jobs/job-catalogue.js';

const TODO = '6650f1c2a1b2c3d4e5f60718';
const REMIND_AT = '2030-01-01T09:00:00.000Z';
const WEBHOOK = 'https://hooks.example.com/remind';

const config = (overrides: Partial<AppConfig> = {}): AppConfig => ({
  ...loadConfig({}),
  ...overrides,
});

/** ALICE's reminder job; `data` overrides its data (a job from before accounts has no owner). */
const job = (
  data: ReminderJobData = { todo_id: TODO, owner_id: ALICE.id, remind_at: REMIND_AT },
  id = reminderJobId(ALICE.id, TODO, new Date(REMIND_AT)),
) => strictFake<Job<ReminderJobData>>('job', { id, data });

/** The todo as it was when `markReminded` set its `reminded_at`. */
const BEFORE_MARK: StoredTodo = {
  _id: TODO,
  content: 'call the bank',
  is_finished: false,
  remind_at: new Date(REMIND_AT),
  reminded_at: null,
};

describe('RemindersProcessor', () => {
  let fetch: jest.SpiedFunction<typeof globalThis.fetch>;
  beforeEach(() => {
    fetch = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(null, { status: 204 }));
  });
  afterEach(() => jest.restoreAllMocks());

  /** A repository whose todo is due at the job's time and not reminded yet. */
  const dueTodo = () =>
    strictFake<TodosRepository>('todos', {
      isDue: () => Promise.resolve(true),
      markReminded: () => Promise.resolve(BEFORE_MARK),
    });

  it('leaves a todo alone that is no longer due at the job time', async () => {
    const todos = strictFake<TodosRepository>('todos', { isDue: () => Promise.resolve(false) });
    const processor = new RemindersProcessor(todos, config({ reminderWebhookUrl: WEBHOOK }));

    expect(await processor.process(job())).toEqual({ reminded: false });
    expect(todos.mocks.isDue).toHaveBeenCalledWith(TODO, new Date(REMIND_AT));
    expect(fetch).not.toHaveBeenCalled();
  });

  it('marks a due todo reminded when there is no webhook', async () => {
    const todos = dueTodo();
    const processor = new RemindersProcessor(todos, config());

    expect(await processor.process(job())).toEqual({ reminded: true });
    expect(todos.mocks.markReminded).toHaveBeenCalledWith(TODO, new Date(REMIND_AT));
    expect(fetch).not.toHaveBeenCalled();
  });

  it('calls the webhook with an Idempotency-Key of the job and its time', async () => {
    const todos = dueTodo();
    const processor = new RemindersProcessor(todos, config({ reminderWebhookUrl: WEBHOOK }));
    const reminder = job();

    expect(await processor.process(reminder)).toEqual({ reminded: true, webhook: 204 });
    expect(todos.mocks.markReminded).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(WEBHOOK);
    expect(init).toMatchObject({
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `${reminder.id}-${REMIND_AT}`,
      },
    });
    expect(JSON.parse(init!.body as string)).toStrictEqual({
      todo_id: TODO,
      owner_id: ALICE.id,
      remind_at: REMIND_AT,
    });
  });

  it('tells the webhook owner_id null for a job from before accounts', async () => {
    const processor = new RemindersProcessor(dueTodo(), config({ reminderWebhookUrl: WEBHOOK }));
    await processor.process(job({ todo_id: TODO, remind_at: REMIND_AT }));
    const [, init] = fetch.mock.calls[0];
    expect(JSON.parse(init!.body as string)).toStrictEqual({
      todo_id: TODO,
      owner_id: null,
      remind_at: REMIND_AT,
    });
  });

  it('runs a job of the former id form (scheduled before ids named the owner) as any other', async () => {
    const todos = dueTodo();
    const processor = new RemindersProcessor(todos, config({ reminderWebhookUrl: WEBHOOK }));
    const former = formerReminderJobId(TODO, new Date(REMIND_AT));
    const data = { todo_id: TODO, owner_id: ALICE.id, remind_at: REMIND_AT };
    expect(await processor.process(job(data, former))).toEqual({ reminded: true, webhook: 204 });
    expect(todos.mocks.markReminded).toHaveBeenCalledWith(TODO, new Date(REMIND_AT));
    const [, init] = fetch.mock.calls[0];
    expect(init?.headers).toMatchObject({ 'idempotency-key': `${former}-${REMIND_AT}` });
  });

  it('calls the webhook again on a retry that finds the todo already marked', async () => {
    const todos = strictFake<TodosRepository>('todos', {
      isDue: () => Promise.resolve(true),
      markReminded: () => Promise.resolve(null),
    });
    const processor = new RemindersProcessor(todos, config({ reminderWebhookUrl: WEBHOOK }));
    expect(await processor.process(job())).toEqual({ reminded: true, webhook: 204 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('fails the job on a non-2xx answer, so BullMQ retries it', async () => {
    fetch.mockResolvedValue(new Response('down', { status: 503 }));
    const todos = strictFake<TodosRepository>('todos', {
      isDue: () => Promise.resolve(true),
      markReminded: () => Promise.resolve(null), // a run before this one set it
    });
    const processor = new RemindersProcessor(todos, config({ reminderWebhookUrl: WEBHOOK }));
    await expect(processor.process(job())).rejects.toThrow('webhook answered 503');
  });
});
