import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getModelToken } from '@nestjs/mongoose';
import { SingleBar, Presets } from 'cli-progress';
import type { Model } from 'mongoose';
import { bootOrExit } from './bootstrap.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { TodoModelModule } from './todos/todo-model.module.js';
import { Todo } from './todos/todo.schema.js';

/**
 * `npm run seed -- N [--fresh]`: inserts N todos (default 10,000) in batches, one millisecond
 * apart; `--fresh` first deletes every todo of the database.
 */
@Module({
  imports: [ConfigModule, DatabaseModule, TodoModelModule],
})
class SeedModule {}

const BATCH = 1_000;

await bootOrExit(async () => {
  const args = process.argv.slice(2);
  const count = args.find((arg) => !arg.startsWith('--'));
  const total = Number(count ?? 10_000);
  if (!Number.isInteger(total) || total < 1 || total > 10_000_000) {
    throw new Error(`the count must be an integer from 1 to 10000000, got ${count}`);
  }
  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error', 'warn'] });
  const todos = app.get<Model<Todo>>(getModelToken(Todo.name));
  if (args.includes('--fresh')) {
    // Dropping is quicker than deleting, and FerretDB cannot delete 100k documents at once.
    await todos.collection.drop().catch(() => undefined);
  }
  await todos.createIndexes(); // first, so the first page is fast as soon as seeding ends

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
        content: `todo ${n + 1}`,
        created_at: new Date(newest - (total - n)),
        is_finished: false,
        finished_at: null,
        remind_at: null,
        reminded_at: null,
      };
    });
    await todos.insertMany(batch, { lean: true, ordered: false });
    bar.update(done + size);
  }
  bar.stop();
  process.stdout.write(
    `inserted ${total} todos in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  await app.close();
});
