import type { Connection } from 'mongoose';

export interface IndexSyncResult {
  collection: string;
  created: string[];
  dropped: string[];
  /** Every index of the collection afterwards, `_id_` included. */
  indexes: string[];
}

/**
 * Makes every model's collection carry exactly the indexes its schema declares: creates the
 * collection and the missing indexes, and drops those the schema no longer declares
 * (`Model.syncIndexes`), so a changed definition reaches the database. A second run changes
 * nothing.
 */
export async function syncAllIndexes(connection: Connection): Promise<IndexSyncResult[]> {
  const results: IndexSyncResult[] = [];
  for (const name of connection.modelNames()) {
    const model = connection.model(name);
    const collection = model.collection.collectionName;
    const before = await indexNames(connection, collection);
    // The connection's autoCreate is off in production: this is where the collection is made.
    if (before === undefined) await model.createCollection();
    const dropped = await model.syncIndexes();
    const after = (await indexNames(connection, collection)) ?? [];
    results.push({
      collection,
      created: after.filter((index) => index !== '_id_' && !before?.includes(index)),
      dropped,
      indexes: after,
    });
  }
  return results;
}

/**
 * Creates the indexes the MongoDB driver makes on a GridFS bucket's first upload (same keys
 * and options, so the driver finds them and creates nothing), so that in production no
 * process needs the right to create indexes. Existing indexes are left alone.
 */
export async function ensureGridFsIndexes(
  connection: Connection,
  bucket: string,
): Promise<IndexSyncResult[]> {
  const db = connection.db;
  if (!db) throw new Error('MongoDB is not connected');
  const wanted: { collection: string; keys: Record<string, 1>; options: { unique?: true } }[] = [
    { collection: `${bucket}.files`, keys: { filename: 1, uploadDate: 1 }, options: {} },
    { collection: `${bucket}.chunks`, keys: { files_id: 1, n: 1 }, options: { unique: true } },
  ];
  const results: IndexSyncResult[] = [];
  for (const { collection, keys, options } of wanted) {
    const before = (await indexNames(connection, collection)) ?? [];
    await db.collection(collection).createIndex(keys, options);
    const after = (await indexNames(connection, collection)) ?? [];
    const created = after.filter((index) => index !== '_id_' && !before.includes(index));
    results.push({ collection, created, dropped: [], indexes: after });
  }
  return results;
}

/** The collection's index names, sorted; undefined when the collection does not exist. */
async function indexNames(connection: Connection, name: string): Promise<string[] | undefined> {
  const db = connection.db;
  if (!db) throw new Error('MongoDB is not connected');
  if ((await db.listCollections({ name }).toArray()).length === 0) return undefined;
  const indexes = await db.collection(name).indexes();
  return indexes.map((index) => String(index.name)).sort();
}
