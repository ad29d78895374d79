import type { Provider } from '@nestjs/common';
import { oneOffModule } from '../bootstrap.js';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { ConfigModule } from '../config/config.module.js';
import type { AppConfig } from '../config/configuration.js';
import { DatabaseModule } from '../database/database.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { AuthModule } from './auth.module.js';

/**
 * The module of a one-off command that works on accounts (the development token, the
 * LEGACY_OWNER account): MongoDB, and Redis so that ending credentials reaches every process.
 */
export const accountsOneOffModule = (config: AppConfig, command: Provider) => ({
  ...oneOffModule([
    ConfigModule.forRoot(config),
    DatabaseModule,
    RedisModule,
    ResponseCacheModule,
    AuthModule.forRole('command'),
  ]),
  providers: [command],
});
