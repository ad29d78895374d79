import { createClient } from '@keyv/redis';
import type { ExportAcceptedDto } from '../src/exports/dto/create-export.dto.js';
import { CLAIM_TTL_MS, IdempotencyStore } from '../src/idempotency/idempotency.store.js';
import { fingerprintOf } from '../src/idempotency/fingerprint.js';
import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { expectError, send, startApi, useApi, type TestApi } from './support/api.js';
import { PrivateMongo } from './support/mongo-server.js';
import { PrivateRedis } from './support/redis-server.js';
import { useTwoSpawnedApis } from './support/spawned-api.js';
import { until } from './support/wait.js';

const DATABASE = 'todo_e2e_idempotency';

let keys = 0;
const freshKey = () => `key-${Date.now()}-${keys++}`;

describe('Idempotency-Key (e2e)', () => {
  const api = useApi(DATABASE, { resetEach: true });

  const post = (key: string, json: object, path = '/todos') =>
    api.request<TodoDto>('POST', path, { json, headers: { 'idempotency-key': key } });
  const countOf = (content: string) => api.todos.countDocuments({ content }).exec();

  it('replays the first answer to a retry with the same key and body, creating nothing', async () => {
    const key = freshKey();
    const first = await post(key, { content: 'once' });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    for (const retry of [
      await post(key, { content: 'once' }),
      // The same fields as a form: the same request.
      await api.request<TodoDto>('POST', '/todos', {
        form: { content: 'once' },
        headers: { 'idempotency-key': key },
      }),
    ]) {
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.headers.get('location')).toBe(first.headers.get('location'));
      expect(retry.body).toEqual(first.body);
    }
    expect(await countOf('once')).toBe(1);
  });

  it('refuses the same key with another body (422), changing nothing', async () => {
    const key = freshKey();
    expect((await post(key, { content: 'first body' })).status).toBe(201);
    expectError(await post(key, { content: 'second body' }), 422);
    expect(await countOf('second body')).toBe(0);
    expect(await countOf('first body')).toBe(1);
  });

  it('scopes a key by method and path: the same key on the export is another request', async () => {
    const key = freshKey();
    expect((await post(key, { content: 'scoped' })).status).toBe(201);
    const exported = await api.request<ExportAcceptedDto>('POST', '/todos/exports', {
      json: { format: 'csv' },
      headers: { 'idempotency-key': key },
    });
    expect(exported.status).toBe(202);
    const again = await api.request<ExportAcceptedDto>('POST', '/todos/exports', {
      json: { format: 'csv' },
      headers: { 'idempotency-key': key },
    });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.job_id).toBe(exported.body.job_id);
    expect(again.headers.get('location')).toBe(exported.headers.get('location'));
  });

  it('keeps a 4xx answer for replay', async () => {
    const key = freshKey();
    const refused = await post(key, { content: '' });
    expectError(refused, 400);
    const again = await post(key, { content: '' });
    expectError(again, 400);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(refused.body);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with a space', 'two words'],
    ['non-ASCII', 'clé'],
  ])('refuses a key that is %s (400), creating nothing', async (_, key) => {
    const response = await api.request('POST', '/todos', {
      json: { content: 'bad key' },
      headers: { 'idempotency-key': key },
    });
    expectError(response, 400);
    expect(await countOf('bad key')).toBe(0);
  });

  it('holds a key claimed by a process that died for at most a minute (409 meanwhile)', async () => {
    const key = freshKey();
    const body = { content: 'orphaned' };
    // What a process that crashed mid-request leaves: a claim, never finished.
    const store = api.app.get(IdempotencyStore);
    await store.claim(`${api.ownerId} POST /todos ${key}`, fingerprintOf(body));
    const blocked = await post(key, body);
    expectError(blocked, 409);
    expect(blocked.headers.get('retry-after')).toBe('1');
    const redis = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
    await redis.connect();
    try {
      const ttl = await redis.pTTL(`${DATABASE}:idempotency:${api.ownerId} POST /todos ${key}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(CLAIM_TTL_MS);
      expect(CLAIM_TTL_MS).toBeLessThanOrEqual(60_000);
    } finally {
      await redis.close();
    }
    expect(await countOf('orphaned')).toBe(0);
  });

  describe('racing on two API processes', () => {
    const [a, b] = useTwoSpawnedApis(DATABASE);

    it('creates one todo however many copies race; the others replay or get 409', async () => {
      const statuses: Record<number, number> = {};
      for (let round = 0; round < 25; round++) {
        const key = freshKey();
        const content = `raced ${round}`;
        const answers = await Promise.all(
          [a, b, a, b, a, b].map((server) =>
            send<TodoDto>(server.url, 'POST', '/todos', {
              json: { content },
              headers: { 'idempotency-key': key },
            }),
          ),
        );
        for (const answer of answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        expect(
          answers.map((answer) => answer.status).filter((s) => s !== 201 && s !== 409),
        ).toEqual([]);
        const created = answers.filter((answer) => answer.status === 201);
        expect(created.length).toBeGreaterThan(0);
        expect(new Set(created.map((answer) => answer.body.id)).size).toBe(1);
        expect(await countOf(content)).toBe(1);
      }
      process.stdout.write(
        `idempotency race: 25 rounds of 6 on two processes, statuses ${JSON.stringify(statuses)}\n`,
      );
    });
  });
});

describe('Idempotency-Key with a store away (e2e)', () => {
  it('answers 503 with Retry-After while Redis is down, rather than risk a duplicate', async () => {
    const redis = await PrivateRedis.start();
    let api: TestApi | undefined;
    try {
      api = await startApi(`${DATABASE}_redis`, { REDIS_URL: redis.url });
      await redis.kill();
      const keyed = await api.request('POST', '/todos', {
        json: { content: 'no redis' },
        headers: { 'idempotency-key': freshKey() },
      });
      expectError(keyed, 503);
      expect(Number(keyed.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await api.todos.countDocuments({ content: 'no redis' }).exec()).toBe(0);
      // Without a key the create still works from MongoDB alone.
      expect((await api.request('POST', '/todos', { json: { content: 'plain' } })).status).toBe(
        201,
      );
    } finally {
      await api?.close();
      await redis.kill();
    }
  });

  it('keeps no 503: once MongoDB is back, the retry with the same key creates the todo', async () => {
    const mongo = await PrivateMongo.start();
    const database = `${DATABASE}_mongo`;
    const api = await startApi(database, { MONGODB_URI: mongo.uri(database) });
    try {
      const key = freshKey();
      const body = { json: { content: 'after the outage' }, headers: { 'idempotency-key': key } };
      await mongo.kill();
      expectError(await api.request('POST', '/todos', body), 503);
      await mongo.restart();
      const retried = await until(
        () => api.request<TodoDto>('POST', '/todos', body),
        (answer) => answer.status !== 503,
        { timeoutMs: 15_000, intervalMs: 200, message: 'MongoDB back' },
      );
      expect(retried.status).toBe(201);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      expect(await api.todos.countDocuments({ content: 'after the outage' }).exec()).toBe(1);
    } finally {
      await api.close();
      await mongo.kill();
    }
  });
});
