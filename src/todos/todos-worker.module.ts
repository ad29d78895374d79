import { Module } from '@nestjs/common';
import { OriginalWritesWatcher } from './original-writes.watcher.js';
import { RemindersProcessor } from './reminders.processor.js';
import { RetentionProcessor } from './retention.processor.js';
import { TodosDataModule } from './todos-data.module.js';

/**
 * The todos' work in the worker: their reminders, their part of the maintenance job and of deleting an
 * account and, during a cutover, the watch for the original's writes. Imported by the
 * worker module only, never by the API.
 */
@Module({
  imports: [TodosDataModule],
  providers: [RemindersProcessor, RetentionProcessor, OriginalWritesWatcher],
})
export class TodosWorkerModule {}
