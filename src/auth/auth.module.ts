import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { RedisLock } from '../redis/redis-lock.js';
import { AccessTokens } from './access-tokens.service.js';
import { AccountService } from './account.service.js';
import { AuthController } from './auth.controller.js';
import { AuthDataModule } from './auth-data.module.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { Authenticator } from './authenticator.js';
import { LoginThrottle } from './login-throttle.js';
import { MeController } from './me.controller.js';
import { PasswordHasher } from './password-hasher.js';

/**
 * Accounts and sessions over HTTP, the token check every request goes through
 * (`Authenticator`, installed at `onRequest`), and the global guard that closes every route
 * not marked `@Public()`.
 */
@Module({
  imports: [AuthDataModule, ResponseCacheModule],
  controllers: [AuthController, MeController],
  providers: [
    AuthService,
    AccountService,
    AccessTokens,
    Authenticator,
    LoginThrottle,
    PasswordHasher,
    RedisLock,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [Authenticator, AccountService, AuthDataModule],
})
export class AuthModule {}
