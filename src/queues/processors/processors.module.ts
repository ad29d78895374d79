import { Module } from '@nestjs/common';
import { ResponseCacheModule } from '../../cache/cache.module.js';
import { ExportFilesModule } from '../../exports/export-files.module.js';
import { TodoModelModule } from '../../todos/todo-model.module.js';
import { ExportsProcessor } from './exports.processor.js';
import { MaintenanceProcessor } from './maintenance.processor.js';
import { RemindersProcessor } from './reminders.processor.js';

/** The job processors: imported by the worker module only, never by the API. */
@Module({
  imports: [TodoModelModule, ResponseCacheModule, ExportFilesModule],
  providers: [ExportsProcessor, RemindersProcessor, MaintenanceProcessor],
})
export class ProcessorsModule {}
