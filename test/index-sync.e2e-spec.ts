import { createConnection, type Connection } from 'mongoose';
import { TodoSchema } from '../src/todos/todo.schema.js';
import { databaseUri, isolatedStores, send } from './support/api.js';
import { runEntrypoint } from './support/process.js';
import { spawnApi } from './support/spawned-api.js';

const DATABASE = 'todo_e2e_index_sync';
const production = { ...isolatedStores(DATABASE), NODE_ENV: 'production' };

/** Index keys as `[[field, order], …]`, sorted, so the comparison ignores names and order. */
const keysOf = (keys: Record<string, unknown>[]) =>
  keys.map((key) => JSON.stringify(Object.entries(key))).sort();

describe('index sync with autoIndex off in production (e2e)', () => {
  let connection: Connection;

  const indexKeys = async (collection = 'todos') => {
    const indexes = await connection.db!.collection(collection).indexes();
    return keysOf(indexes.map((index) => index.key));
  };
  const collectionExists = async () =>
    (await connection.listCollections()).some((collection) => collection.name === 'todos');
  const sync = async () => {
    const run = runEntrypoint('sync-indexes', production);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    return run.output();
  };

  beforeAll(async () => {
    connection = await createConnection(databaseUri(DATABASE)).asPromise();
  });
  // Each test starts from an empty database, whichever ran before.
  beforeEach(async () => {
    await connection.dropDatabase();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('the API in production creates neither the collection nor an index', async () => {
    const api = await spawnApi(DATABASE, { NODE_ENV: 'production' });
    try {
      expect(await collectionExists()).toBe(false);
      const created = await send(api.url, 'POST', '/todos', { json: { content: 'x' } });
      expect(created.status).toBe(201);
      expect((await send(api.url, 'GET', '/todos')).status).toBe(200);
      // The insert made the collection; nothing built the schema's indexes.
      expect(await indexKeys()).toEqual(keysOf([{ _id: 1 }]));
    } finally {
      expect(await api.stop()).toEqual({ code: 0, signal: null });
    }
  });

  it('the sync creates exactly the indexes the schema declares, and a second run changes nothing', async () => {
    const declared = keysOf([{ _id: 1 }, ...TodoSchema.indexes().map(([fields]) => fields)]);
    expect(declared).toHaveLength(4);

    expect(await sync()).toMatch(/todos: created created_at_-1, .+; dropped none/);
    expect(await indexKeys()).toEqual(declared);

    expect(await sync()).toMatch(/todos: created none; dropped none/);
    expect(await indexKeys()).toEqual(declared);
  });

  it("the sync creates the GridFS indexes of the export files, the driver's own", async () => {
    await sync();
    expect(await indexKeys('exports.files')).toEqual(
      keysOf([{ _id: 1 }, { filename: 1, uploadDate: 1 }]),
    );
    expect(await indexKeys('exports.chunks')).toEqual(keysOf([{ _id: 1 }, { files_id: 1, n: 1 }]));
    const chunks = await connection.db!.collection('exports.chunks').indexes();
    expect(chunks.find((index) => index.name === 'files_id_1_n_1')?.unique).toBe(true);
  });

  it('the sync drops an index the schema does not declare', async () => {
    await sync();
    await connection.collection('todos').createIndex({ content: 1 }, { name: 'content_1' });
    expect(await sync()).toMatch(/todos: created none; dropped content_1/);
    expect(await indexKeys()).not.toContain(JSON.stringify([['content', 1]]));
    expect(await indexKeys()).toHaveLength(4);
  });
});
