import { jest } from '@jest/globals';
import mongoose from 'mongoose';
import { CacheKeyFactory } from '../src/cache/cache-key.factory.js';
import type { TodoDto, TodoPageDto } from '../src/todos/dto/todo.dto.js';
import { send, useApi } from './support/api.js';
import { spawnApi, type SpawnedApi } from './support/spawned-api.js';

const DATABASE = 'todo_e2e_cache';

describe('response cache (e2e)', () => {
  const api = useApi(DATABASE, { resetEach: true });

  const list = (query = '') => api.request<TodoPageDto>('GET', `/todos${query}`);

  it('answers MISS then HIT, sharing entries across parameter order and defaults', async () => {
    await api.request('POST', '/todos', { json: { content: 'a' } });
    expect((await list('?limit=5&finished=false')).headers.get('x-cache')).toBe('MISS');
    expect((await list('?finished=false&limit=5')).headers.get('x-cache')).toBe('HIT');
    expect((await list()).headers.get('x-cache')).toBe('MISS');
    expect((await list('?limit=10&start=0')).headers.get('x-cache')).toBe('HIT');
    const hit = await list('?limit=10');
    expect(hit.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(hit.body.items.map((t) => t.content)).toEqual(['a']);
  });

  it('answers a known view from a hook before Nest, and falls back to Nest on a miss', async () => {
    // The interceptor asks the key factory on every request that reaches it.
    const intercept = jest.spyOn(api.app.get(CacheKeyFactory), 'forRequest');
    try {
      await api.request('POST', '/todos', { json: { content: 'a' } });
      expect((await list('?limit=3')).headers.get('x-cache')).toBe('MISS');
      expect(intercept).toHaveBeenCalledTimes(1);
      const hit = await list('?limit=3');
      expect(hit.headers.get('x-cache')).toBe('HIT');
      expect(hit.headers.get('x-request-id')).toBeTruthy();
      expect(hit.body.items.map((t) => t.content)).toEqual(['a']);
      expect(intercept).toHaveBeenCalledTimes(1); // the hit never reached the interceptor

      await api.request('POST', '/todos', { json: { content: 'b' } });
      const after = await list('?limit=3');
      expect(after.headers.get('x-cache')).toBe('MISS');
      expect(after.body.items.map((t) => t.content)).toEqual(['b', 'a']);
      expect(intercept).toHaveBeenCalledTimes(2);
      // A URL no valid request has keyed still goes through validation.
      expect((await list('?limit=3000')).status).toBe(400);
    } finally {
      intercept.mockRestore();
    }
  });

  it('caches items and the original route too, and never a 400 or 404', async () => {
    const { body: todo } = await api.request<TodoDto>('POST', '/todos', { json: { content: 'x' } });
    expect((await api.request('GET', `/todos/${todo.id}`)).headers.get('x-cache')).toBe('MISS');
    expect((await api.request('GET', `/todos/${todo.id}`)).headers.get('x-cache')).toBe('HIT');
    expect((await api.request('GET', '/todo?start=0')).headers.get('x-cache')).toBe('MISS');
    expect((await api.request('GET', '/todo')).headers.get('x-cache')).toBe('HIT');
    expect((await api.request('GET', '/todos?bogus=1')).headers.get('x-cache')).toBeNull();
    const missing = '0123456789abcdef01234567';
    expect((await api.request('GET', `/todos/${missing}`)).status).toBe(404);
    expect((await api.request('GET', `/todos/${missing}`)).status).toBe(404);
  });

  it('shows every write to the very next read', async () => {
    const created = await api.request<TodoDto>('POST', '/todos', { json: { content: 'first' } });
    await list();
    await api.request('GET', `/todos/${created.body.id}`);
    await api.request('PATCH', `/todos/${created.body.id}`, { json: { content: 'changed' } });
    expect((await list()).body.items[0].content).toBe('changed');
    expect((await api.request<TodoDto>('GET', `/todos/${created.body.id}`)).body.content).toBe(
      'changed',
    );
    await api.request('POST', '/todo', { form: { content: 'legacy' } });
    expect((await list()).body.items.map((t) => t.content)).toEqual(['legacy', 'changed']);
    await api.request('DELETE', `/todos/${created.body.id}`);
    expect((await list()).body.items.map((t) => t.content)).toEqual(['legacy']);
    expect((await api.request('GET', `/todos/${created.body.id}`)).status).toBe(404);
  });

  it('runs one database query for 200 concurrent GETs of a cold key', async () => {
    await api.request('POST', '/todos', { json: { content: 'hot' } });
    let finds = 0;
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'todos' && method === 'find') finds++;
    });
    try {
      const answers = await Promise.all(Array.from({ length: 200 }, () => list('?limit=7')));
      expect(answers.every((a) => a.status === 200 && a.body.items[0].content === 'hot')).toBe(
        true,
      );
      expect(finds).toBe(1);
    } finally {
      mongoose.set('debug', false);
    }
  });

  it('never serves a view read before a write that finished while the read was held', async () => {
    await api.request('POST', '/todos', { json: { content: 'old' } });
    // Hold the next database read between its query and its cache store.
    const service = api.app.get((await import('../src/todos/todos.service.js')).TodosService);
    const original = service.list.bind(service);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let readDone!: () => void;
    const read = new Promise<void>((resolve) => (readDone = resolve));
    service.list = async (owner, query) => {
      const page = await original(owner, query);
      readDone();
      await gate;
      return page;
    };
    try {
      const held = list('?limit=3');
      await read;
      await api.request('POST', '/todos', { json: { content: 'new' } });
      release();
      expect((await held).body.items.map((t) => t.content)).toEqual(['old']);
    } finally {
      service.list = original;
    }
    for (let i = 0; i < 3; i++) {
      expect((await list('?limit=3')).body.items.map((t) => t.content)).toEqual(['new', 'old']);
    }
  });

  describe('with two API processes sharing Redis', () => {
    let other: SpawnedApi;
    let otherUrl: string;

    beforeAll(async () => {
      other = await spawnApi(DATABASE);
      otherUrl = other.url;
    });
    afterAll(async () => {
      await other.stop();
    });

    it('reads its writes across processes for hundreds of rounds under concurrent readers', async () => {
      const urls = [api.url, otherUrl];
      let stop = false;
      let readerRequests = 0;
      // Background readers keep both processes' caches warm (and racing) all along.
      const readers = Array.from({ length: 6 }, async (_, i) => {
        while (!stop) {
          const page = await send<TodoPageDto>(urls[i % 2], 'GET', '/todos?limit=5');
          expect(page.status).toBe(200);
          readerRequests++;
        }
      });
      let hits = 0;
      try {
        let lastId = '';
        for (let round = 0; round < 300; round++) {
          const [writer, reader] = round % 2 === 0 ? urls : [...urls].reverse();
          const kind = round % 3;
          if (kind === 0 || !lastId) {
            const created = await send<TodoDto>(writer, 'POST', '/todos', {
              json: { content: `r${round}` },
            });
            lastId = created.body.id;
            const page = await send<TodoPageDto>(reader, 'GET', '/todos?limit=5');
            expect(page.body.items[0]?.id).toBe(lastId);
            if (page.headers.get('x-cache') === 'HIT') hits++;
          } else if (kind === 1) {
            await send(writer, 'PATCH', `/todos/${lastId}`, { json: { content: `p${round}` } });
            const item = await send<TodoDto>(reader, 'GET', `/todos/${lastId}`);
            expect(item.body.content).toBe(`p${round}`);
            const page = await send<TodoPageDto>(reader, 'GET', '/todos?limit=5');
            expect(page.body.items[0]?.content).toBe(`p${round}`);
          } else {
            await send(writer, 'DELETE', `/todos/${lastId}`);
            const page = await send<TodoPageDto>(reader, 'GET', '/todos?limit=5');
            expect(page.body.items.map((t) => t.id)).not.toContain(lastId);
            expect((await send(reader, 'GET', `/todos/${lastId}`)).status).toBe(404);
            lastId = '';
          }
        }
      } finally {
        stop = true;
        await Promise.all(readers);
      }
      expect(readerRequests).toBeGreaterThan(300);
      // Readers race the checks, so some checks are hits of the fresh view: the cache works.
      expect(hits + api.cache.stats.hits).toBeGreaterThan(0);
    }, 120_000);
  });
});
