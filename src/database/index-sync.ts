import type { Connection } from 'mongoose';

export interface IndexSyncResult {
  model: string;
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
      model: name,
      collection,
      created: after.filter((index) => index !== '_id_' && !before?.includes(index)),
      dropped,
      indexes: after,
    });
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
