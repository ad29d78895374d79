import { Types } from 'mongoose';
import type { TodoPageDto } from '../src/todos/dto/todo.dto.js';
import { isolatedStores, useApi } from './support/api.js';
import { defaultEmailOf } from './support/auth.js';
import { runEntrypoint } from './support/process.js';
import { until } from './support/wait.js';

const DATABASE = 'todo_e2e_migrate';
/**
 * FerretDB's SQLite backend scans the collection for every update, so 10,000 documents take
 * minutes here (the README gives the figures of a run); on MongoDB set MIGRATE_TEST_COUNT.
 */
const COUNT = Number(process.env.MIGRATE_TEST_COUNT ?? 2_000);
/** FerretDB's cost per update grows with the collection: the whole run grows with its square. */
const SCALE = Math.max(1, (COUNT / 2_000) ** 2);
/** Float epoch seconds, as the original's `time.time()` wrote them: one second apart. */
const BASE = 1_790_000_000;
const createdAt = (i: number) => BASE + i + 0.123;
const isFinished = (i: number) => i % 3 === 0;

/** 10,000 documents exactly as the original wrote them, its index among them. */
function originalDocs() {
  return Array.from({ length: COUNT }, (_, i) => ({
    content: `todo ${i}`,
    created_at: createdAt(i),
    is_finished: isFinished(i),
    finished_at: isFinished(i) ? createdAt(i) + 5.5 : null,
  }));
}

describe('npm run migrate (e2e, real MongoDB)', () => {
  // The original's documents have no owner: the test's default account holds them.
  const api = useApi(DATABASE, { env: { LEGACY_OWNER: defaultEmailOf(DATABASE) } });
  const stores = isolatedStores(DATABASE);
  const collection = () => api.todos.collection;
  const dates = () => collection().countDocuments({ created_at: { $type: 'date' } });

  /** Every todo through the API by cursor: contents and creation times, newest first. */
  const walk = async () => {
    const seen: { content: string; created_at: string; finished_at: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await api.request<TodoPageDto>('GET', `/todos?limit=100${query}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.next_cursor;
    } while (cursor);
    return seen.map(({ content, created_at, finished_at }) => ({
      content,
      created_at,
      finished_at,
    }));
  };
  const expected = Array.from({ length: COUNT }, (_, n) => {
    const i = COUNT - 1 - n;
    return {
      content: `todo ${i}`,
      created_at: new Date(Math.round(createdAt(i) * 1000)).toISOString(),
      finished_at: isFinished(i)
        ? new Date(Math.round((createdAt(i) + 5.5) * 1000)).toISOString()
        : null,
    };
  });

  beforeAll(async () => {
    await collection()
      .dropIndexes()
      .catch(() => undefined);
    await collection().createIndex({ created_at: -1 }); // the original's ensureIndex
    const docs = originalDocs();
    for (let i = 0; i < COUNT; i += 2_000) await collection().insertMany(docs.slice(i, i + 2_000));
    await api.cache.invalidate();
  }, 120_000 * SCALE);

  it(
    'reads every original document before, converts all of them, and reads the same after',
    async () => {
      expect(await walk()).toEqual(expected);
      const dry = await runMigrate(['--dry-run']);
      expect(dry).toContain(
        `migrate (dry run: nothing written): ${COUNT} todos read, ${COUNT} to convert`,
      );
      expect(await dates()).toBe(0);

      // Killed midway, then run again: it ends where a run without the kill would have.
      const killed = runEntrypoint('migrate', { ...stores, NODE_ENV: 'production' }, [
        '--batch',
        '20',
      ]);
      // Not too often: FerretDB's SQLite backend lets a stream of reads starve the writes.
      await until(dates, (n) => n > 0, {
        timeoutMs: 60_000 * SCALE,
        intervalMs: 250,
        message: 'a first batch',
      });
      killed.child.kill('SIGKILL');
      await killed.exited;
      const partial = await dates();
      expect(partial).toBeLessThan(COUNT);

      // The server may finish the batch in flight at the kill: count what the rerun found.
      const rest = /(\d+) todos read, (\d+) converted, (\d+) already current/.exec(
        await runMigrate(),
      );
      const [read, converted, current] = (rest ?? []).slice(1).map(Number);
      expect(read).toBe(COUNT);
      expect(converted + current).toBe(COUNT);
      expect(current).toBeGreaterThanOrEqual(partial);
      expect(converted).toBeGreaterThan(0);
      expect(await dates()).toBe(COUNT);
      expect(await collection().countDocuments({ finished_at: { $type: 'date' } })).toBe(
        Math.ceil(COUNT / 3),
      );
      expect(await collection().countDocuments({ remind_at: null, reminded_at: null })).toBe(COUNT);
      expect(await walk()).toEqual(expected);

      expect(await runMigrate()).toContain(
        `${COUNT} todos read, 0 converted, ${COUNT} already current`,
      );
    },
    300_000 * SCALE,
  );

  it("keeps the original's created_at_-1 index: the sync builds no twin of it", async () => {
    const sync = runEntrypoint('sync-indexes', { ...stores, NODE_ENV: 'production' });
    expect(await sync.exited).toEqual({ code: 0, signal: null });
    const onCreatedAt = (await collection().indexes()).filter(
      (index) => JSON.stringify(index.key) === JSON.stringify({ created_at: -1 }),
    );
    expect(onCreatedAt.map((index) => index.name)).toEqual(['created_at_-1']);
  }, 60_000);

  it(
    'gives every todo without an owner to the account --owner names, once',
    async () => {
      const unknown = runEntrypoint('migrate', { ...stores, NODE_ENV: 'production' }, [
        '--owner',
        'nobody@example.com',
      ]);
      expect(await unknown.exited).toEqual({ code: 1, signal: null });
      expect(unknown.stderr()).toContain('nobody@example.com');
      expect(await collection().countDocuments({ owner_id: null })).toBe(COUNT);

      const owner = defaultEmailOf(DATABASE);
      expect(await runMigrate(['--dry-run', '--owner', owner])).toContain(
        `${COUNT} todos without an owner to give to ${owner}`,
      );
      expect(await runMigrate(['--owner', owner])).toContain(
        `${COUNT} todos without an owner given to ${owner}`,
      );
      const ownerId = new Types.ObjectId(api.ownerId);
      expect(await collection().countDocuments({ owner_id: ownerId })).toBe(COUNT);
      expect(await runMigrate(['--owner', owner])).toContain(`0 todos without an owner given`);
    },
    120_000 * SCALE,
  );

  async function runMigrate(args: string[] = []) {
    const child = runEntrypoint('migrate', { ...stores, NODE_ENV: 'production' }, args);
    expect(await child.exited).toEqual({ code: 0, signal: null });
    return child.output();
  }
});
