import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { forRoles, only } from '../config/process-role.js';
import { RedisLock } from '../redis/redis-lock.js';
import { AccessTokens } from './access-tokens.service.js';
import { AccountService } from './account.service.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthProcessor } from './auth.processor.js';
import { AuthService } from './auth.service.js';
import { Authenticator } from './authenticator.js';
import { LoginThrottle } from './login-throttle.js';
import { MeController } from './me.controller.js';
import { PasswordHasher } from './password-hasher.js';
import { Session, SessionSchema } from './session.schema.js';
import { SessionsRepository } from './sessions.repository.js';
import { User, UserSchema } from './user.schema.js';
import { UsersRepository } from './users.repository.js';

/** The accounts' models, for this module and the index sync. */
export const AUTH_MODELS = [
  { name: User.name, schema: UserSchema },
  { name: Session.name, schema: SessionSchema },
];

/**
 * Accounts, sessions and tokens. Every role: the models and their one writers, and ending
 * credentials (which tells every process through the cache's Redis). The API: the routes,
 * the token check every request goes through (`Authenticator`, installed at `onRequest`),
 * the global guard that closes every route not marked `@Public()`, password hashing (the
 * account commands hash too). The worker: the account-deletion job and the accounts' steps.
 */
@Module({})
export class AuthModule {
  static readonly forRole = forRoles(AuthModule, (role) => ({
    imports: [MongooseModule.forFeature(AUTH_MODELS), ResponseCacheModule],
    controllers: only('api', role, [AuthController, MeController]),
    providers: [
      UsersRepository,
      SessionsRepository,
      AccessTokens,
      ...(role === 'worker' ? [] : [PasswordHasher]),
      ...only('api', role, [
        AuthService,
        AccountService,
        Authenticator,
        LoginThrottle,
        RedisLock,
        { provide: APP_GUARD, useClass: AuthGuard },
      ]),
      ...only('worker', role, [AuthProcessor]),
    ],
    exports: [
      MongooseModule,
      UsersRepository,
      SessionsRepository,
      AccessTokens,
      ...(role === 'worker' ? [] : [PasswordHasher]),
      ...only('api', role, [Authenticator, AccountService]),
    ],
  }));
}
