import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TodoReader } from './todo-reader.js';
import { Todo, TodoSchema } from './todo.schema.js';

/**
 * The Todo model and the reader of what it holds, for every module that reads or writes
 * todos (API, worker, seeding).
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: Todo.name, schema: TodoSchema }])],
  providers: [TodoReader],
  exports: [MongooseModule, TodoReader],
})
export class TodoModelModule {}
