import { Module } from '@nestjs/common';
import { OriginalWritesWatcher } from './original-writes.watcher.js';
import { RetentionProcessor } from './retention.processor.js';
import { TodosDataModule } from './todos-data.module.js';

/**
 * The todos' work in the worker: their part of the maintenance job and of deleting an
 * account and, during a cutover, the watch for the original's writes. Imported by the
 * worker module only, never by the API.
 */
@Module({
  imports: [TodosDataModule],
  providers: [RetentionProcessor, OriginalWritesWatcher],
})
export class TodosWorkerModule {}
