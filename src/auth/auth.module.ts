import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { AuthController, MeController } from './auth.controller.js';
import { AuthDataModule } from './auth-data.module.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { Authenticator } from './authenticator.js';
import { LoginThrottle } from './login-throttle.js';
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
    Authenticator,
    LoginThrottle,
    PasswordHasher,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [Authenticator, AuthDataModule],
})
export class AuthModule {}
