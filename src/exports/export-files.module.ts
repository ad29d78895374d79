import { Module } from '@nestjs/common';
import { TodoModelModule } from '../todos/todo-model.module.js';
import { ExportFilesService } from './export-files.service.js';
import { ExportRecordsModule } from './export-records.module.js';
import { ExportsExpiry } from './exports-expiry.service.js';

/**
 * The export files in GridFS (written by the worker, read by the API) and the records they
 * belong to; the expiry sweep the maintenance job runs over both.
 */
@Module({
  imports: [TodoModelModule, ExportRecordsModule],
  providers: [ExportFilesService, ExportsExpiry],
  exports: [ExportFilesService, ExportsExpiry, ExportRecordsModule],
})
export class ExportFilesModule {}
