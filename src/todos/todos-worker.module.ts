import { Module } from '@nestjs/common';
import { AuthDataModule } from '../auth/auth-data.module.js';
import { ExportFilesModule } from '../exports/export-files.module.js';
import { RetentionProcessor } from './retention.processor.js';
import { TodosDataModule } from './todos-data.module.js';

/**
 * The todos' work in the worker: the maintenance job's processor. Imported by the worker
 * module only, never by the API.
 */
@Module({
  // The accounts' and exports' data for the maintenance job, which deletes ended sessions
  // and expired exports too.
  imports: [TodosDataModule, AuthDataModule, ExportFilesModule],
  providers: [RetentionProcessor],
})
export class TodosWorkerModule {}
