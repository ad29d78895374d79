// Drops one MongoDB database and every Redis key under one prefix: the stores a scripted run
// (such as scripts/fuzz.sh) used, so each run starts empty and leaves nothing behind.
// Usage: node scripts/drop-stores.mjs <mongodb-uri-with-database> <redis-url> <key-prefix>
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';

const [mongodbUri, redisUrl, prefix] = process.argv.slice(2);
if (!mongodbUri || !redisUrl || !/^[\w.-]+$/.test(prefix ?? '')) {
  console.error('usage: drop-stores.mjs <mongodb-uri> <redis-url> <key-prefix>');
  process.exit(2);
}

const mongo = new MongoClient(mongodbUri, { serverSelectionTimeoutMS: 5_000 });
await mongo.connect();
await mongo.db().dropDatabase();
await mongo.close();

const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
await redis.connect();
// SCAN, not KEYS: the shared Redis may hold other runs' keys and must not block.
for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
  if (keys.length > 0) await redis.unlink(...keys);
}
await redis.quit();
