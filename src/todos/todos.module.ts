import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { forRoles, only } from '../config/process-role.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { RedisLock } from '../redis/redis-lock.js';
import { FirstPageCarry } from './first-page-carry.js';
import { PageCursorCodec } from './page-cursor.js';
import { RemindersProcessor } from './reminders.processor.js';
import { RemindersScheduler } from './reminders.scheduler.js';
import { RetentionProcessor } from './retention.processor.js';
import { TodoReader } from './todo-reader.js';
import { Todo, TodoSchema } from './todo.schema.js';
import { TodosController } from './todos.controller.js';
import { TodosRepository } from './todos.repository.js';
import { TodosService } from './todos.service.js';

/** The todos' model, for this module and the index sync. */
export const TODO_MODELS = [{ name: Todo.name, schema: TodoSchema }];

/**
 * Todos. Every role: the model, its one writer (which invalidates the cached views) and the
 * reader of any stored shape. The API: the routes, with the cache for @CacheView() and
 * idempotency for @Idempotent() on the create, and the reminders' scheduling. The worker: the
 * reminder handler and the todos' maintenance and account-deletion steps.
 */
@Module({})
export class TodosModule {
  static readonly forRole = forRoles(TodosModule, (role) => ({
    imports: [
      MongooseModule.forFeature(TODO_MODELS),
      ResponseCacheModule,
      ...only('api', role, [IdempotencyModule]),
    ],
    controllers: only('api', role, [TodosController]),
    providers: [
      TodoReader,
      TodosRepository,
      ...only('api', role, [
        TodosService,
        FirstPageCarry,
        PageCursorCodec,
        RedisLock,
        RemindersScheduler,
      ]),
      ...only('worker', role, [RemindersProcessor, RetentionProcessor]),
    ],
    exports: [MongooseModule, TodoReader, TodosRepository, ...only('api', role, [TodosService])],
  }));
}
