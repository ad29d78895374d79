import type { LegacyTodoDto } from '../src/original/dto/legacy-todo.dto.js';
import type { TodoPageDto } from '../src/todos/dto/todo.dto.js';
import { send, useApi } from './support/api.js';
import { defaultEmailOf } from './support/auth.js';
import { startPeer, type Peer } from './support/peer.js';
import { sleep } from './support/wait.js';
import { startWorker, stopWorker, type TestWorker } from './support/worker.js';

const DATABASE = 'todo_e2e_cutover';
/** The test's default account stands for the original's clients: it holds what has no owner. */
const CUTOVER = {
  STORE_ORIGINAL_TIMES: 'true',
  ORIGINAL_WRITES_POLL_MS: '1000',
  LEGACY_OWNER: defaultEmailOf(DATABASE),
};

describe('the cutover: the original and this service on one database (e2e, real peer)', () => {
  const api = useApi(DATABASE, { env: CUTOVER });
  let peer: Peer;
  let worker: TestWorker;

  beforeAll(async () => {
    peer = await startPeer(DATABASE);
    worker = await startWorker(DATABASE, CUTOVER);
  }, 60_000);
  afterAll(async () => {
    await stopWorker(worker);
    await peer.stop();
  });
  beforeEach(() => api.reset());

  it('GET /todo answers what the original answers for the same data: keys, types, order, values', async () => {
    for (let i = 0; i < 8; i++) {
      // Each service writes every other todo, so the page mixes both writers' documents.
      const [url, path] = i % 2 ? [peer.url, '/todo'] : [api.url, '/todo'];
      expect((await send(url, 'POST', path, { form: { content: `todo ${i}` } })).status).toBe(200);
    }
    expect(
      (
        await api.request('PATCH', `/todos/${await idOf('todo 3')}`, {
          json: { is_finished: true },
        })
      ).status,
    ).toBe(200);
    for (const query of [
      '',
      '?start=0',
      '?start=3',
      '?start=abc',
      '?start=-1',
      '?start=8',
      '?start=99',
    ]) {
      const [ours, theirs] = await Promise.all([
        api.request<LegacyTodoDto[]>('GET', `/todo${query}`),
        send<LegacyTodoDto[]>(peer.url, 'GET', `/todo${query}`),
      ]);
      expect([ours.status, theirs.status]).toEqual([200, 200]);
      expect(ours.body.map((todo) => Object.keys(todo))).toEqual(
        theirs.body.map((todo) => Object.keys(todo)),
      );
      expect(ours.body).toEqual(theirs.body);
    }
    const page = await api.request<LegacyTodoDto[]>('GET', '/todo');
    expect(page.body.map((todo) => todo.content)).toEqual(
      Array.from({ length: 8 }, (_, i) => `todo ${7 - i}`),
    );
    const finished = page.body.find((todo) => todo.content === 'todo 3');
    expect(typeof finished?.finished_at).toBe('number');
  });

  it('shows every todo the original writes within 10 s, in order, during a cursor walk and a read load', async () => {
    const base = Date.now() / 1000 - 3600;
    const old = Array.from({ length: 200 }, (_, i) => ({
      content: `old ${i}`,
      created_at: base + i,
      is_finished: false,
      finished_at: null,
    }));
    await api.todos.collection.insertMany(old);
    await api.cache.invalidate();

    const written = new Map<string, number>();
    const firstSeen = new Map<string, number>();
    let writing = true;
    let stoppedWriting = Infinity;
    const unseen = () => [...written.keys()].some((content) => !firstSeen.has(content));
    // Page 1, as clients read it, until every todo the original wrote has shown (or 12 s
    // after the last write, past the 10 s allowed).
    const reads = (async () => {
      while (writing || (unseen() && Date.now() - stoppedWriting < 12_000)) {
        const page = await api.request<TodoPageDto>('GET', '/todos?limit=50');
        expect(page.status).toBe(200);
        for (const todo of page.body.items) {
          if (!firstSeen.has(todo.content)) firstSeen.set(todo.content, Date.now());
        }
        await sleep(50);
      }
    })();
    const walk = (async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = await api.request<TodoPageDto>('GET', `/todos?limit=10${query}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((todo) => todo.content));
        cursor = page.body.next_cursor;
        await sleep(150);
      } while (cursor);
      return seen;
    })();
    for (let i = 0; i < 20; i++) {
      const content = `peer ${i}`;
      expect((await send(peer.url, 'POST', '/todo', { form: { content } })).status).toBe(200);
      written.set(content, Date.now());
      await sleep(200);
    }
    writing = false;
    stoppedWriting = Date.now();
    const [walked] = await Promise.all([walk, reads]);

    const late = [...written].filter(
      ([content, at]) => (firstSeen.get(content) ?? Infinity) - at > 10_000,
    );
    expect(late).toEqual([]);
    // The walk began before the original's writes: it holds the older todos, once each, in order.
    const olds = walked.filter((content) => content.startsWith('old '));
    expect(olds).toEqual(old.map((todo) => todo.content).reverse());
    expect(new Set(walked).size).toBe(walked.length);
    // And now page 1 holds them all, newest first, none twice.
    const page = await api.request<TodoPageDto>('GET', '/todos?limit=100');
    const peers = page.body.items
      .map((todo) => todo.content)
      .filter((content) => content.startsWith('peer '));
    expect(peers).toEqual(Array.from({ length: 20 }, (_, i) => `peer ${19 - i}`));
  }, 120_000);

  async function idOf(content: string): Promise<string> {
    const page = await api.request<TodoPageDto>('GET', '/todos?limit=100');
    const todo = page.body.items.find((item) => item.content === content);
    if (!todo) throw new Error(`no todo ${content}`);
    return todo.id;
  }
});
