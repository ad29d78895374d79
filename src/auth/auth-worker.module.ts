import { Module } from '@nestjs/common';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { ExportFilesModule } from '../exports/export-files.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { TodosDataModule } from '../todos/todos-data.module.js';
import { AccessTokens } from './access-tokens.service.js';
import { AccountDeletionProcessor } from './account-deletion.processor.js';
import { AuthDataModule } from './auth-data.module.js';

/** The accounts' work in the worker: deleting a deleted account's data, every store of it. */
@Module({
  imports: [
    AuthDataModule,
    TodosDataModule,
    ExportFilesModule,
    IdempotencyModule,
    ResponseCacheModule,
  ],
  providers: [AccountDeletionProcessor, AccessTokens],
})
export class AuthWorkerModule {}
