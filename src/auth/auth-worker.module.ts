import { Module } from '@nestjs/common';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { AccessTokens } from './access-tokens.service.js';
import { AuthDataModule } from './auth-data.module.js';
import { AuthProcessor } from './auth.processor.js';

/** The accounts' jobs in the worker: deleting a deleted account's data, ending sessions. */
@Module({
  imports: [AuthDataModule, ResponseCacheModule],
  providers: [AuthProcessor, AccessTokens],
})
export class AuthWorkerModule {}
