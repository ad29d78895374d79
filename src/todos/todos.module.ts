import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { RemindersModule } from '../reminders/reminders.module.js';
import { LegacyTodoController } from './legacy-todo.controller.js';
import { PageCursorCodec } from './page-cursor.js';
import { Todo, TodoSchema } from './todo.schema.js';
import { TodosController } from './todos.controller.js';
import { TodosService } from './todos.service.js';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Todo.name, schema: TodoSchema }]),
    ResponseCacheModule,
    RemindersModule,
  ],
  controllers: [TodosController, LegacyTodoController],
  providers: [TodosService, PageCursorCodec],
  exports: [TodosService, MongooseModule],
})
export class TodosModule {}
