import { Module } from '@nestjs/common';
import { RemindersProcessor } from './reminders.processor.js';
import { RetentionProcessor } from './retention.processor.js';
import { TodosDataModule } from './todos-data.module.js';

/**
 * The todos' work in the worker: their reminders and their part of the maintenance job and
 * of deleting an account. Imported by the worker module only, never by the API.
 */
@Module({
  imports: [TodosDataModule],
  providers: [RemindersProcessor, RetentionProcessor],
})
export class TodosWorkerModule {}
