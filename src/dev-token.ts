import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AccessTokens } from './auth/access-tokens.service.js';
import { AuthDataModule } from './auth/auth-data.module.js';
import { DEVELOPMENT_EMAIL, DevelopmentAccount } from './auth/development-account.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { bootOrExit, oneOffModule } from './bootstrap.js';
import { ResponseCacheModule } from './cache/cache.module.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/configuration.js';
import { DatabaseModule } from './database/database.module.js';
import { RedisModule } from './redis/redis.module.js';

/**
 * `npm start` runs this once the API answers, outside production only: a fresh personal
 * access token for the local development account, printed with a curl line that works as
 * printed. Refuses to run with NODE_ENV=production.
 */
const modules = (config: AppConfig) => ({
  ...oneOffModule([
    ConfigModule.forRoot(config),
    DatabaseModule,
    RedisModule,
    ResponseCacheModule,
    AuthDataModule,
  ]),
  providers: [DevelopmentAccount, AccessTokens, PasswordHasher],
});

await bootOrExit(async (config) => {
  if (config.env === 'production') {
    throw new Error('no development account in production (NODE_ENV=production)');
  }
  const app = await NestFactory.createApplicationContext(modules(config), {
    logger: ['error', 'warn'],
  });
  const { token, scopes } = await app.get(DevelopmentAccount).freshToken();
  await app.close();
  const url = `http://127.0.0.1:${config.port}`;
  process.stdout.write(
    `Dev token:  ${token} (${DEVELOPMENT_EMAIL}: ${scopes.join(', ')}; a new one at each start)\n` +
      `Try it:     curl -H 'Authorization: Bearer ${token}' ${url}/todos\n`,
  );
}, 'Could not make the development token');
