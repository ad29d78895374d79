import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Todo, TodoSchema } from '../todos/todo.schema.js';
import { ExportFilesService } from './export-files.service.js';

/** The export files in GridFS: written by the worker, read by the API. */
@Module({
  imports: [MongooseModule.forFeature([{ name: Todo.name, schema: TodoSchema }])],
  providers: [ExportFilesService],
  exports: [ExportFilesService],
})
export class ExportFilesModule {}
