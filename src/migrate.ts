import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AuthModule } from './auth/auth.module.js';
import { accountIdOf, ownerOption } from './auth/owner-option.js';
import { UsersRepository } from './auth/users.repository.js';
import { bootOrExit, oneOffModule } from './bootstrap.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/configuration.js';
import { DatabaseModule } from './database/database.module.js';
import { OriginalModule } from './original/original.module.js';
import { TodoMigration, type Writes } from './original/todo-migration.service.js';
import { RedisModule } from './redis/redis.module.js';
import { ResponseCacheModule } from './cache/cache.module.js';
import { TodosModule } from './todos/todos.module.js';

/**
 * `npm run migrate [-- --dry-run] [--batch N] [--writers N] [--owner <email>]` (`node dist/migrate.js` in
 * the image): after the cutover, converts every todo the original wrote to this service's
 * form and, with `--owner`, then gives every todo without an owner to that account
 * (`TodoMigration`). It builds no index: the original's `created_at_-1` is the one the
 * schema declares, by name and key.
 */
const modules = (config: AppConfig) =>
  oneOffModule([
    // A write of a batch may take long on a slow server (FerretDB's SQLite backend scans
    // the collection for each update): this one-off waits for it.
    ConfigModule.forRoot({
      ...config,
      mongodbAutoIndex: false,
      mongodbTimeouts: { ...config.mongodbTimeouts, socketTimeoutMS: 300_000 },
    }),
    DatabaseModule,
    RedisModule,
    TodosModule.forRole('command'),
    ResponseCacheModule,
    AuthModule.forRole('command'),
    OriginalModule.forRole('command'),
  ]);

/**
 * The largest write. FerretDB 1.24's SQLite backend hung for good on batches of 100 (a read
 * of 100 todos, then their 100 conditional updates); 99 ran.
 */
const MAX_BATCH = 99;
/** The most writes in flight; FerretDB's SQLite backend hangs on two at once: `--writers 1`. */
const MAX_WRITERS = 16;

interface Options extends Writes {
  dryRun: boolean;
  owner?: string;
}

/** The integer after `flag`, `fallback` without the flag; out of 1..max is an error. */
function count(args: string[], flag: string, fallback: number, max: number): number {
  const at = args.indexOf(flag);
  const value = at === -1 ? fallback : Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${flag} must be an integer from 1 to ${max}, got ${args[at + 1]}`);
  }
  return value;
}

function options(args: string[]): Options {
  const batch = count(args, '--batch', 50, MAX_BATCH);
  const writers = count(args, '--writers', 4, MAX_WRITERS);
  const owner = ownerOption(args);
  const known = new Set([
    '--dry-run',
    '--batch',
    String(batch),
    '--writers',
    String(writers),
    '--owner',
    owner,
  ]);
  const unknown = args.filter((arg) => !known.has(arg));
  if (unknown.length > 0) throw new Error(`unknown arguments: ${unknown.join(' ')}`);
  return { dryRun: args.includes('--dry-run'), batch, writers, owner };
}

await bootOrExit(async (config) => {
  const { dryRun, owner, ...writes } = options(process.argv.slice(2));
  const app = await NestFactory.createApplicationContext(modules(config), {
    logger: ['error', 'warn'],
  });
  const migration = app.get(TodoMigration);
  // Before any write: an unknown email changes nothing.
  const ownerId =
    owner === undefined ? undefined : await accountIdOf(app.get(UsersRepository), owner);
  const counts = await migration.convertAll(dryRun, writes);
  const dry = dryRun ? ' (dry run: nothing written)' : '';
  process.stdout.write(
    `migrate${dry}: ${counts.read} todos read, ` +
      `${counts.converted} ${dryRun ? 'to convert' : 'converted'}, ${counts.current} already current, ` +
      `${counts.unreadable} unreadable left as they are\n`,
  );
  if (owner !== undefined && ownerId !== undefined) {
    const adopted = dryRun
      ? await migration.countOwnerless()
      : await migration.adoptAll(ownerId, writes);
    process.stdout.write(
      `migrate${dry}: ${adopted} todos without an owner ` +
        `${dryRun ? 'to give' : 'given'} to ${owner}\n`,
    );
  }
  await app.close();
});
