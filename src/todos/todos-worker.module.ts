import { Module } from '@nestjs/common';
import { RetentionProcessor } from './retention.processor.js';
import { TodosDataModule } from './todos-data.module.js';

/** The retention job's processor: imported by the worker module only, never by the API. */
@Module({ imports: [TodosDataModule], providers: [RetentionProcessor] })
export class TodosWorkerModule {}
