import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { SingleBar, Presets } from 'cli-progress';
import { Types } from 'mongoose';
import { AuthModule } from './auth/auth.module.js';
import { accountIdOf, ownerOption } from './auth/owner-option.js';
import { UsersRepository } from './auth/users.repository.js';
import { bootOrExit, oneOffModule } from './bootstrap.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/configuration.js';
import { DatabaseModule } from './database/database.module.js';
import { OriginalModule } from './original/original.module.js';
import { RedisModule } from './redis/redis.module.js';
import { TodosModule } from './todos/todos.module.js';
import { TodosRepository } from './todos/todos.repository.js';

/**
 * `npm run seed -- N [--owner <email>] [--fresh]`: inserts N todos (default 10,000) in
 * batches, one millisecond apart, into the account with that email (without one: no owner,
 * as the original's todos, which only LEGACY_OWNER sees); `--fresh` first deletes every
 * todo of the database.
 */
const modules = (config: AppConfig) =>
  oneOffModule([
    ConfigModule.forRoot(config),
    DatabaseModule,
    RedisModule,
    TodosModule.forRole('command'),
    AuthModule.forRole('command'),
    // The form a todo is written in (`TodoShape`) is the original's module's to say.
    OriginalModule.forRole('command'),
  ]);

const BATCH = 1_000;

await bootOrExit(async (config) => {
  const args = process.argv.slice(2);
  const email = ownerOption(args);
  const count = args.find((arg) => !arg.startsWith('--') && arg !== email);
  const total = Number(count ?? 10_000);
  if (!Number.isInteger(total) || total < 1 || total > 10_000_000) {
    throw new Error(`the count must be an integer from 1 to 10000000, got ${count}`);
  }
  const app = await NestFactory.createApplicationContext(modules(config), {
    logger: ['error', 'warn'],
  });
  const todos = app.get(TodosRepository);
  const owner =
    email === undefined
      ? {}
      : { owner_id: new Types.ObjectId(await accountIdOf(app.get(UsersRepository), email)) };
  if (args.includes('--fresh')) await todos.clear();
  await todos.ensureIndexes();

  const bar = new SingleBar(
    { format: 'seeding [{bar}] {value}/{total} todos {eta}s left' },
    Presets.shades_classic,
  );
  const started = Date.now();
  const newest = Date.now();
  bar.start(total, 0);
  for (let done = 0; done < total; done += BATCH) {
    const size = Math.min(BATCH, total - done);
    const batch = Array.from({ length: size }, (_, i) => {
      const n = done + i;
      return {
        ...owner,
        content: `todo ${n + 1}`,
        created_at: new Date(newest - (total - n)),
        is_finished: false,
        finished_at: null,
        remind_at: null,
        reminded_at: null,
      };
    });
    await todos.insertMany(batch);
    bar.update(done + size);
  }
  bar.stop();
  process.stdout.write(
    `inserted ${total} todos in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  await app.close();
});
