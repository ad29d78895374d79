import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Presets, SingleBar } from 'cli-progress';
import { Types } from 'mongoose';
import { AuthDataModule } from './auth/auth-data.module.js';
import { accountIdOf, ownerOption } from './auth/owner-option.js';
import { UsersRepository } from './auth/users.repository.js';
import { bootOrExit, oneOffModule } from './bootstrap.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/configuration.js';
import { DatabaseModule } from './database/database.module.js';
import { OriginalTodosRepository } from './original/original-todos.repository.js';
import { conversionOf, type Conversion } from './original/todo-migration.js';
import { RedisModule } from './redis/redis.module.js';
import { ResponseCacheModule } from './cache/cache.module.js';
import { LOWEST_OBJECT_ID } from './todos/stored-todo.js';
import { TodoModelModule } from './todos/todo-model.module.js';

/**
 * `npm run migrate [-- --dry-run] [--batch N] [--owner <email>]` (`node dist/migrate.js` in
 * the image): after the cutover, converts every todo the original wrote to this service's
 * form (see `conversionOf`), in batches, each write conditional on the document being as it
 * was read; with `--owner`, then gives every todo without an owner to that account.
 * Idempotent, and safe to kill and run again: a second run changes nothing. It builds no
 * index: the original's `created_at_-1` is the one the schema declares, by name and key.
 */
const modules = (config: AppConfig) => ({
  ...oneOffModule([
    // A batch of conditional writes may take long on a slow server (FerretDB's SQLite
    // backend scans the collection for each): this one-off waits for it.
    ConfigModule.forRoot({
      ...config,
      mongodbAutoIndex: false,
      mongodbTimeouts: { ...config.mongodbTimeouts, socketTimeoutMS: 300_000 },
    }),
    DatabaseModule,
    RedisModule,
    TodoModelModule,
    ResponseCacheModule,
    AuthDataModule,
  ]),
  providers: [OriginalTodosRepository],
});

/**
 * The largest batch. FerretDB 1.24's SQLite backend (the development server here) hung for
 * good on batches of 100 (a read of 100 todos, then their 100 conditional updates); 99 ran.
 */
const MAX_BATCH = 99;

interface Options {
  dryRun: boolean;
  batch: number;
  owner?: string;
}

function options(args: string[]): Options {
  const at = args.indexOf('--batch');
  const batch = at === -1 ? 50 : Number(args[at + 1]);
  if (!Number.isInteger(batch) || batch < 1 || batch > MAX_BATCH) {
    throw new Error(`--batch must be an integer from 1 to ${MAX_BATCH}, got ${args[at + 1]}`);
  }
  const owner = ownerOption(args);
  const known = new Set(['--dry-run', '--batch', String(batch), '--owner', owner]);
  const unknown = args.filter((arg) => !known.has(arg));
  if (unknown.length > 0) throw new Error(`unknown arguments: ${unknown.join(' ')}`);
  return { dryRun: args.includes('--dry-run'), batch, owner };
}

await bootOrExit(async (config) => {
  const { dryRun, batch, owner } = options(process.argv.slice(2));
  const app = await NestFactory.createApplicationContext(modules(config), {
    logger: ['error', 'warn'],
  });
  const todos = app.get(OriginalTodosRepository);
  // Before any write: an unknown email changes nothing.
  const ownerId =
    owner === undefined ? undefined : await accountIdOf(app.get(UsersRepository), owner);
  const counts = { read: 0, converted: 0, current: 0, unreadable: 0 };
  const bar = new SingleBar(
    { format: 'migrating [{bar}] {value}/{total} todos {eta}s left', stream: process.stderr },
    Presets.shades_classic,
  );
  bar.start(await todos.estimatedCount(), 0);
  let pending: Conversion[] = [];
  // Read a batch whole, then write it: never a cursor open across writes.
  const flush = async () => {
    counts.converted += dryRun ? pending.length : await todos.convert(pending);
    pending = [];
  };
  for (let after = new Types.ObjectId(LOWEST_OBJECT_ID); ;) {
    const rows = await todos.batchAfter(after, batch);
    if (rows.length === 0) break;
    for (const stored of rows) {
      const conversion = conversionOf(stored);
      if (conversion === 'current' || conversion === 'unreadable') counts[conversion]++;
      else pending.push(conversion);
    }
    await flush();
    counts.read += rows.length;
    bar.update(counts.read);
    after = rows[rows.length - 1]._id as Types.ObjectId;
  }
  bar.stop();
  process.stdout.write(
    `migrate${dryRun ? ' (dry run: nothing written)' : ''}: ${counts.read} todos read, ` +
      `${counts.converted} ${dryRun ? 'to convert' : 'converted'}, ${counts.current} already current, ` +
      `${counts.unreadable} unreadable left as they are\n`,
  );
  if (owner !== undefined && ownerId !== undefined) {
    const adopted = dryRun ? await todos.countOwnerless() : await adopt(todos, ownerId, batch);
    process.stdout.write(
      `migrate${dryRun ? ' (dry run: nothing written)' : ''}: ${adopted} todos without an owner ` +
        `${dryRun ? 'to give' : 'given'} to ${owner}\n`,
    );
  }
  await app.close();
});

/** Gives every ownerless todo to `ownerId`, a batch at a time, with a progress bar. */
async function adopt(
  todos: OriginalTodosRepository,
  ownerId: string,
  batch: number,
): Promise<number> {
  const bar = new SingleBar(
    { format: 'adopting [{bar}] {value}/{total} todos {eta}s left', stream: process.stderr },
    Presets.shades_classic,
  );
  bar.start(await todos.countOwnerless(), 0);
  let adopted = 0;
  for (let done = await todos.adoptOwnerless(ownerId, batch); done > 0;) {
    adopted += done;
    bar.update(adopted);
    done = await todos.adoptOwnerless(ownerId, batch);
  }
  bar.stop();
  return adopted;
}
