import { parse } from 'csv-parse/sync';
import { Types } from 'mongoose';
import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { expectError, startApi, type TestApi } from './support/api.js';
import { signIn } from './support/auth.js';
import { downloadExport, ownerOf, requestExport, settleExport } from './support/exports.js';
import { spawnApi, type SpawnedApi } from './support/spawned-api.js';
import { todoDocs } from './support/todo-docs.js';
import { startWorker, stopWorker, type TestWorker } from './support/worker.js';

const DATABASE = 'todo_e2e_exports_files';

/** Contents a spreadsheet would run as formulas, and their neighbours it would not. */
const FORMULAS = ['=1+2', '+SUM(A1:A9)', '-2+3', '@cmd', '\tTAB', '\rCR', '＝1+2'];
const HARMLESS = ['plain', "'quoted already", ' =not first', 'a=b', '42'];

/**
 * Two deployments on one database, each with its own QUEUE_PREFIX (so each its own BullMQ
 * job ids, both counting from 1): exports never share a file, and a file is served only to
 * the owner its record and its own metadata both name.
 */
describe('export files (e2e, two queue prefixes on one database, real workers)', () => {
  let api: TestApi;
  let other: SpawnedApi;
  const workers: TestWorker[] = [];
  let b: string;
  let bOwner: string;

  beforeAll(async () => {
    api = await startApi(DATABASE, { QUEUE_PREFIX: `${DATABASE}-one` });
    other = await spawnApi(DATABASE, { QUEUE_PREFIX: `${DATABASE}-two` });
    workers.push(
      await startWorker(DATABASE, { QUEUE_PREFIX: `${DATABASE}-one` }),
      await startWorker(DATABASE, { QUEUE_PREFIX: `${DATABASE}-two` }),
    );
    b = await signIn(other.url);
    bOwner = await ownerOf(other.url, b);
    const contents = [...FORMULAS, ...HARMLESS];
    await api.todos.insertMany([
      ...todoDocs(contents.length, (i) => ({
        content: contents[i],
        owner_id: new Types.ObjectId(api.ownerId),
      })),
      ...todoDocs(3, (i) => ({ content: `B's ${i}`, owner_id: new Types.ObjectId(bOwner) })),
    ]);
    await api.cache.invalidate();
    // Four processes to start on a shared machine.
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) await stopWorker(worker);
    await other.stop();
    await api.close();
  });

  const filesCollection = () => api.todos.db.collection('exports.files');

  it("keeps each deployment's export in a file of its own, served to its owner only", async () => {
    const mine = await requestExport(api.url, { format: 'json' });
    const theirs = await requestExport(other.url, { format: 'json' }, b);
    expect((await settleExport(api.url, mine)).state).toBe('completed');
    expect((await settleExport(other.url, theirs, b)).state).toBe('completed');

    // One file each, named by its export's record (never by a job id a prefix repeats).
    const files = await filesCollection().find().toArray();
    const owners = files.map((f) => {
      const { job_id, owner_id } = f.metadata as { job_id: string; owner_id: string };
      expect(f._id as unknown as string).toMatch(new RegExp(`^export-${job_id}-[0-9a-f]{12}$`));
      return [job_id, owner_id] as const;
    });
    expect(new Map(owners)).toEqual(
      new Map([
        [mine, api.ownerId],
        [theirs, bOwner],
      ]),
    );
    // Whichever process serves it (the download needs no queue), each file is its owner's.
    for (const url of [api.url, other.url]) {
      const file = await downloadExport<TodoDto[]>(url, mine, api.token);
      expect(file.body).toHaveLength(FORMULAS.length + HARMLESS.length);
      expectError(await downloadExport(url, mine, b), 404);
      expect((await downloadExport<TodoDto[]>(url, theirs, b)).body).toHaveLength(3);
    }
  });

  it("never serves a file whose own owner is another's, even when the record leads to it", async () => {
    const mine = await requestExport(api.url, { format: 'csv' });
    const theirs = await requestExport(other.url, { format: 'csv' }, b);
    expect((await settleExport(api.url, mine)).state).toBe('completed');
    expect((await settleExport(other.url, theirs, b)).state).toBe('completed');
    // A record that leads to B's file (restored from elsewhere, or tampered with).
    const records = api.todos.db.collection('export_records');
    const their = await records.findOne({ _id: new Types.ObjectId(theirs) });
    await records.updateOne(
      { _id: new Types.ObjectId(mine) },
      { $set: { file_id: their?.file_id as string } },
    );
    const refused = await downloadExport<string>(api.url, mine);
    expectError(refused, 404);
    expect(refused.text).not.toContain("B's");
  });

  it('neutralises cells a spreadsheet would run in CSV, and keeps JSON exact', async () => {
    const csv = await requestExport(api.url, { format: 'csv' });
    const json = await requestExport(api.url, { format: 'json' });
    expect((await settleExport(api.url, csv)).state).toBe('completed');
    expect((await settleExport(api.url, json)).state).toBe('completed');

    const file = await downloadExport<string>(api.url, csv);
    expect([file.status, file.headers.get('content-type')]).toEqual([
      200,
      'text/csv; charset=utf-8',
    ]);
    const rows = parse<Record<string, string>>(file.text, { columns: true });
    const cells = new Set(rows.map((row) => row.content));
    expect(cells).toEqual(new Set([...FORMULAS.map((c) => `'${c}`), ...HARMLESS]));
    // No cell of any column starts with what a spreadsheet runs.
    const runnable = /^[=+\-@\t\r＝＋－＠]/;
    expect(rows.flatMap((row) => Object.values(row)).filter((cell) => runnable.test(cell))).toEqual(
      [],
    );

    const exact = await downloadExport<TodoDto[]>(api.url, json);
    expect(new Set(exact.body.map((todo) => todo.content))).toEqual(
      new Set([...FORMULAS, ...HARMLESS]),
    );
  });
});
