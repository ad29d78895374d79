import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Todo, TodoSchema } from './todo.schema.js';

/** The Todo model, for every module that reads or writes todos (API, worker, seeding). */
@Module({
  imports: [MongooseModule.forFeature([{ name: Todo.name, schema: TodoSchema }])],
  exports: [MongooseModule],
})
export class TodoModelModule {}
