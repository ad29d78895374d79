import { Module } from '@nestjs/common';
import { TodoModelModule } from '../todos/todo-model.module.js';
import { ExportFilesService } from './export-files.service.js';

/** The export files in GridFS: written by the worker, read by the API. */
@Module({
  imports: [TodoModelModule],
  providers: [ExportFilesService],
  exports: [ExportFilesService],
})
export class ExportFilesModule {}
