import { jest } from '@jest/globals';
import type { Job } from 'bullmq';
import { loadConfig, type AppConfig } from '../config/configuration.js';
import { strictFake } from '../testing/strict-fake.js';
import type { TodosRepository } from '../todos/todos.repository.js';
import type { ReminderJobData } from './reminder-job.js';
import { RemindersProcessor } from './reminders.processor.js';

const TODO = '6650f1c2a1b2c3d4e5f60718';
const REMIND_AT = '2030-01-01T09:00:00.000Z';
const WEBHOOK = 'https://hooks.example.com/remind';

const config = (overrides: Partial<AppConfig> = {}): AppConfig => ({
  ...loadConfig({}),
  ...overrides,
});

const job = () =>
  strictFake<Job<ReminderJobData>>('job', {
    id: `reminder-${TODO}-${Date.parse(REMIND_AT)}`,
    data: { todo_id: TODO, remind_at: REMIND_AT },
  });

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
      markReminded: () => Promise.resolve(true),
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
    expect(JSON.parse(init!.body as string)).toEqual({ todo_id: TODO, remind_at: REMIND_AT });
  });

  it('fails the job on a non-2xx answer, so BullMQ retries it', async () => {
    fetch.mockResolvedValue(new Response('down', { status: 503 }));
    const todos = strictFake<TodosRepository>('todos', {
      isDue: () => Promise.resolve(true),
      markReminded: () => Promise.resolve(false),
    });
    const processor = new RemindersProcessor(todos, config({ reminderWebhookUrl: WEBHOOK }));
    await expect(processor.process(job())).rejects.toThrow('webhook answered 503');
  });
});
