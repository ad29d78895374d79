import { Module } from '@nestjs/common';
import { TodosDataModule } from '../todos/todos-data.module.js';
import { RemindersProcessor } from './reminders.processor.js';

/** The reminder job's processor: imported by the worker module only, never by the API. */
@Module({ imports: [TodosDataModule], providers: [RemindersProcessor] })
export class RemindersWorkerModule {}
