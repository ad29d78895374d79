import { Module } from '@nestjs/common';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { RemindersModule } from '../reminders/reminders.module.js';
import { LegacyTodoController } from './legacy-todo.controller.js';
import { PageCursorCodec } from './page-cursor.js';
import { TodoModelModule } from './todo-model.module.js';
import { TodosController } from './todos.controller.js';
import { TodosService } from './todos.service.js';

@Module({
  imports: [TodoModelModule, ResponseCacheModule, RemindersModule],
  controllers: [TodosController, LegacyTodoController],
  providers: [TodosService, PageCursorCodec],
  exports: [TodosService, TodoModelModule],
})
export class TodosModule {}
