import { Module } from '@nestjs/common';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { RedisLock } from '../redis/redis-lock.js';
import { PageCursorCodec } from './page-cursor.js';
import { RemindersScheduler } from './reminders.scheduler.js';
import { TodosDataModule } from './todos-data.module.js';
import { TodosController } from './todos.controller.js';
import { TodosService } from './todos.service.js';

@Module({
  // The cache module for the @CacheView() interceptor on the controllers' reads, the
  // idempotency module for @Idempotent() on the create.
  imports: [TodosDataModule, ResponseCacheModule, IdempotencyModule],
  controllers: [TodosController],
  providers: [TodosService, PageCursorCodec, RedisLock, RemindersScheduler],
  exports: [TodosService],
})
export class TodosModule {}
