import { randomBytes } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { fingerprintOf } from '../src/idempotency/fingerprint.js';
import { IdempotencyStore } from '../src/idempotency/idempotency.store.js';
import { QUEUES } from '../src/queues/queues.constants.js';
import { formerReminderJobId, reminderJobId } from '../src/todos/reminder-job.js';
import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { expectError, send, useApi, type RequestOptions } from './support/api.js';
import { signIn } from './support/auth.js';
import { watchSets } from './support/redis-monitor.js';
import { useTwoSpawnedApis } from './support/spawned-api.js';
import { until } from './support/wait.js';
import type { ReminderJobData } from '../src/jobs/job-catalogue.js';

const DATABASE = 'todo_e2e_side_effects';
const HOUR = 3_600_000;
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const ownerOf = (token: string) => token.slice('tdo_s_'.length, 'tdo_s_'.length + 24);
const soon = (message: string) => ({ timeoutMs: 10_000, intervalMs: 25, message });
const redisClient = async () => {
  const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
  await client.connect();
  return client;
};

/**
 * Another owner names a todo id of the owner's in its writes: every side effect of those
 * writes is keyed by, or comes after, the ownership check, so it reaches nothing of theirs.
 * Through two API processes; the reminder jobs are read from BullMQ itself.
 */
describe("another owner's writes reach no side effect of the owner's (e2e)", () => {
  // In process, for its reminders queue: BullMQ on the Redis the spawned APIs use.
  const api = useApi(DATABASE);
  const [one, two] = useTwoSpawnedApis(DATABASE);
  let alice: string;
  let bob: string;
  const queue = () =>
    api.app.get<Queue<ReminderJobData>>(getQueueToken(QUEUES.reminders), {
      strict: false,
    });

  beforeAll(async () => {
    [alice, bob] = await Promise.all([signIn(one.url), signIn(two.url)]);
  });

  const as = <T = unknown>(
    token: string,
    url: string,
    method: string,
    path: string,
    options: RequestOptions = {},
  ) => send<T>(url, method, path, { ...options, token });
  const create = async (json: object) => {
    const created = await as<TodoDto>(alice, one.url, 'POST', '/todos', { json });
    expect(created.status).toBe(201);
    return created.body;
  };
  /** Every job of the queue for the todo, of any state but active: id, state, owner. */
  const jobsOf = async (todoId: string) => {
    const jobs = await queue().getJobs(['delayed', 'waiting', 'completed', 'failed'], 0, -1);
    return Promise.all(
      jobs
        .filter((job) => job.data.todo_id === todoId)
        .map(async (job) => ({
          id: job.id,
          state: await job.getState(),
          owner: job.data.owner_id,
        })),
    );
  };
  /** What another owner sends to the todo id: each must be a 404 that leaves its jobs as they were. */
  const bobsWrites = (remindAt: string): [string, string, RequestOptions][] => [
    [two.url, 'PATCH', { json: { remind_at: remindAt } }],
    [one.url, 'PATCH', { json: { remind_at: remindAt }, headers: { 'if-match': '*' } }],
    [two.url, 'PATCH', { json: { remind_at: inMs(2 * HOUR) } }],
    [one.url, 'PATCH', { json: { is_finished: true } }],
    [two.url, 'PATCH', { json: { remind_at: null } }],
    [one.url, 'DELETE', {}],
    [two.url, 'DELETE', { headers: { 'if-match': '*' } }],
  ];

  it("another owner's PATCH (with the owner's time, finishing, clearing) and DELETE are 404s, and the owner's job stays delayed", async () => {
    const remindAt = inMs(HOUR);
    const todo = await create({ content: 'call the bank', remind_at: remindAt });
    const own = {
      id: reminderJobId(ownerOf(alice), todo.id, new Date(remindAt)),
      state: 'delayed',
      owner: ownerOf(alice),
    };
    expect(await jobsOf(todo.id)).toEqual([own]);

    for (const [url, method, options] of bobsWrites(remindAt)) {
      expectError(await as(bob, url, method, `/todos/${todo.id}`, options), 404);
      // No job of bob's was made for it, and alice's is still there, delayed.
      expect({ method, options, jobs: await jobsOf(todo.id) }).toEqual({
        method,
        options,
        jobs: [own],
      });
    }
    const still = await as<TodoDto>(alice, two.url, 'GET', `/todos/${todo.id}`);
    expect(still.body).toEqual(todo);
  });

  it('a job of the former id form is left by those 404s and cancelled by its owner’s change and delete', async () => {
    const remindAt = inMs(HOUR);
    // As the service wrote reminders before their ids named the owner: the todo, then its job.
    const [moved, deleted] = [
      await create({ content: 'moved' }),
      await create({ content: 'deleted' }),
    ];
    const formerJobs = await Promise.all(
      [moved, deleted].map(async (todo) => {
        await api.todos.updateOne({ _id: todo.id }, { $set: { remind_at: new Date(remindAt) } });
        const jobId = formerReminderJobId(todo.id, new Date(remindAt));
        const data = { todo_id: todo.id, owner_id: ownerOf(alice), remind_at: remindAt };
        await queue().add('remind', data, { jobId, delay: HOUR });
        return { id: jobId, state: 'delayed', owner: ownerOf(alice) };
      }),
    );
    await api.cache.invalidate();
    for (const [i, todo] of [moved, deleted].entries()) {
      for (const [url, method, options] of bobsWrites(remindAt)) {
        expectError(await as(bob, url, method, `/todos/${todo.id}`, options), 404);
      }
      expect(await jobsOf(todo.id)).toEqual([formerJobs[i]]);
    }

    const later = inMs(2 * HOUR);
    expect(
      (await as(alice, two.url, 'PATCH', `/todos/${moved.id}`, { json: { remind_at: later } }))
        .status,
    ).toBe(200);
    expect(await jobsOf(moved.id)).toEqual([
      {
        id: reminderJobId(ownerOf(alice), moved.id, new Date(later)),
        state: 'delayed',
        owner: ownerOf(alice),
      },
    ]);
    expect((await as(alice, one.url, 'DELETE', `/todos/${deleted.id}`)).status).toBe(204);
    expect(await jobsOf(deleted.id)).toEqual([]);
  });

  it("another owner holding the todo id's lock (its requests caught mid-way) makes none of the owner's conditional writes wait or fail", async () => {
    const [kept, removed] = [await create({ content: 'kept' }), await create({ content: 'gone' })];
    // Which locks bob's conditional requests take, seen in Redis; each is then held, as by
    // a request of his that stalls holding it (until its TTL ends).
    const sets = await watchSets(`${DATABASE}:lock:`);
    try {
      for (const todo of [kept, removed]) {
        const random = { 'if-match': `"${randomBytes(8).toString('hex')}"` };
        expectError(
          await as(bob, two.url, 'PATCH', `/todos/${todo.id}`, {
            json: { content: 'bob' },
            headers: random,
          }),
          404,
        );
        expectError(
          await as(bob, one.url, 'DELETE', `/todos/${todo.id}`, { headers: random }),
          404,
        );
      }
      await until(
        () => sets.keys.length,
        (n) => n >= 4,
        soon("bob's four locks seen"),
      );
    } finally {
      sets.stop();
    }
    const redis = await redisClient();
    try {
      for (const key of new Set(sets.keys))
        await redis.set(key, 'held by bob', { expiration: { type: 'PX', value: 30_000 } });
      const tagged = await as<TodoDto>(alice, one.url, 'GET', `/todos/${kept.id}`);
      const changed = await as<TodoDto>(alice, two.url, 'PATCH', `/todos/${kept.id}`, {
        json: { content: 'alice' },
        headers: { 'if-match': tagged.headers.get('etag') ?? '' },
      });
      expect(changed.status).toBe(200);
      expect(changed.body.content).toBe('alice');
      const gone = await as(alice, one.url, 'DELETE', `/todos/${removed.id}`, {
        headers: { 'if-match': '*' },
      });
      expect(gone.status).toBe(204);
    } finally {
      await redis.del([...new Set(sets.keys)]);
      await redis.close();
    }
  });

  it("another owner looping PATCH and DELETE with random If-Match on the todo id: the owner's conditional PATCHes all succeed", async () => {
    const todo = await create({ content: 'round 0' });
    let done = false;
    const bobs: number[] = [];
    const loop = async (url: string, method: string) => {
      while (!done) {
        const headers = { 'if-match': `"${randomBytes(8).toString('hex')}"` };
        const json = method === 'PATCH' ? { content: 'bob' } : undefined;
        bobs.push((await as(bob, url, method, `/todos/${todo.id}`, { json, headers })).status);
      }
    };
    const loops = [one.url, two.url].flatMap((url) => [
      loop(url, 'PATCH'),
      loop(url, 'DELETE'),
      loop(url, 'PATCH'),
    ]);
    const alices: number[] = [];
    try {
      let etag = (await as(alice, one.url, 'GET', `/todos/${todo.id}`)).headers.get('etag') ?? '';
      for (let round = 1; round <= 20; round++) {
        const changed = await as<TodoDto>(
          alice,
          round % 2 ? two.url : one.url,
          'PATCH',
          `/todos/${todo.id}`,
          {
            json: { content: `round ${round}` },
            headers: { 'if-match': etag },
          },
        );
        alices.push(changed.status);
        etag = changed.headers.get('etag') ?? '';
      }
    } finally {
      done = true;
      await Promise.all(loops);
    }
    expect(alices).toEqual(Array.from({ length: 20 }, () => 200));
    expect(bobs.length).toBeGreaterThan(0);
    expect(new Set(bobs)).toEqual(new Set([404]));
    expect((await as<TodoDto>(alice, two.url, 'GET', `/todos/${todo.id}`)).body.content).toBe(
      'round 20',
    );
  });

  it("an Idempotency-Key another owner used neither replays their answer nor blocks the owner's request", async () => {
    const post = (token: string, url: string, key: string, content: string) =>
      as<TodoDto>(token, url, 'POST', '/todos', {
        json: { content },
        headers: { 'idempotency-key': key },
      });
    const fresh = () => `shared-${randomBytes(6).toString('hex')}`;
    const mine = async (answer: Awaited<ReturnType<typeof post>>, token: string) => {
      expect(answer.status).toBe(201);
      expect(answer.headers.get('idempotent-replayed')).toBeNull();
      expect((await as(token, one.url, 'GET', `/todos/${answer.body.id}`)).status).toBe(200);
    };

    // The same key and body: alice's own todo, not bob's answer again.
    const same = fresh();
    const bobs = await post(bob, one.url, same, 'same body');
    await mine(bobs, bob);
    const alices = await post(alice, two.url, same, 'same body');
    await mine(alices, alice);
    expect(alices.body.id).not.toBe(bobs.body.id);
    expectError(await as(bob, one.url, 'GET', `/todos/${alices.body.id}`), 404);
    // Each one's retry replays their own answer.
    expect((await post(alice, one.url, same, 'same body')).body).toEqual(alices.body);
    expect((await post(bob, two.url, same, 'same body')).body).toEqual(bobs.body);

    // The same key with another body: alice's request runs, it is no 422 of bob's key.
    const other = fresh();
    await mine(await post(bob, one.url, other, 'bob body'), bob);
    await mine(await post(alice, two.url, other, 'alice body'), alice);

    // Bob's request with the key still running (its claim held): alice's is no 409.
    const running = fresh();
    await mine(await post(bob, one.url, running, 'running'), bob);
    const redis = await redisClient();
    try {
      const [held] = await redis.keys(`${DATABASE}:idempotency:*${running}`);
      expect(held).toBeDefined();
      const store = api.app.get(IdempotencyStore);
      await redis.del(held);
      await store.claim(
        held.slice(`${DATABASE}:idempotency:`.length),
        fingerprintOf({ content: 'running' }),
      );
      expectError(await post(bob, two.url, running, 'running'), 409);
      await mine(await post(alice, two.url, running, 'running'), alice);
    } finally {
      await redis.close();
    }
  });

  it("another owner's failed writes leave the owner's cached views cached", async () => {
    const todo = await create({ content: 'cached' });
    const view = () => as<TodoDto>(alice, one.url, 'GET', `/todos/${todo.id}`);
    await view();
    expect((await view()).headers.get('x-cache')).toBe('HIT');
    for (const [url, method, options] of bobsWrites(inMs(HOUR))) {
      expectError(await as(bob, url, method, `/todos/${todo.id}`, options), 404);
    }
    const after = await view();
    expect([after.headers.get('x-cache'), after.body]).toEqual(['HIT', todo]);
    // Her own write is seen at once, on either process.
    await as(alice, two.url, 'PATCH', `/todos/${todo.id}`, { json: { content: 'changed' } });
    const changed = await view();
    expect([changed.headers.get('x-cache'), changed.body.content]).toEqual(['MISS', 'changed']);
  });
});
