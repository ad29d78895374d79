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
import { TodoMigration } from './original/todo-migration.service.js';
import { RedisModule } from './redis/redis.module.js';
import { ResponseCacheModule } from './cache/cache.module.js';
import { TodosModule } from './todos/todos.module.js';

/**
 * `npm run migrate [-- --dry-run] [--batch N] [--owner <email>]` (`node dist/migrate.js` in
 * the image): after the cutover, converts every todo the original wrote to this service's
 * form and, with `--owner`, then gives every todo without an owner to that account
 * (`TodoMigration`). It builds no index: the original's `created_at_-1` is the one the
 * schema declares, by name and key.
 */
const modules = (config: AppConfig) =>
  oneOffModule([
    // A batch of conditional writes may take long on a slow server (FerretDB's SQLite
    // backend scans the collection for each): this one-off waits for it.
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
  const migration = app.get(TodoMigration);
  // Before any write: an unknown email changes nothing.
  const ownerId =
    owner === undefined ? undefined : await accountIdOf(app.get(UsersRepository), owner);
  const counts = await migration.convertAll(dryRun, batch);
  const dry = dryRun ? ' (dry run: nothing written)' : '';
  process.stdout.write(
    `migrate${dry}: ${counts.read} todos read, ` +
      `${counts.converted} ${dryRun ? 'to convert' : 'converted'}, ${counts.current} already current, ` +
      `${counts.unreadable} unreadable left as they are\n`,
  );
  if (owner !== undefined && ownerId !== undefined) {
    const adopted = dryRun
      ? await migration.countOwnerless()
      : await migration.adoptAll(ownerId, batch);
    process.stdout.write(
      `migrate${dry}: ${adopted} todos without an owner ` +
        `${dryRun ? 'to give' : 'given'} to ${owner}\n`,
    );
  }
  await app.close();
});
