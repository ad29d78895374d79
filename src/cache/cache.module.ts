import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';
import { CACHE_REDIS_CLIENT } from './cache.constants.js';
import { CacheKeyFactory } from './cache-key.factory.js';
import { CacheStats } from './cache-stats.js';
import { HttpCacheInterceptor } from './http-cache.interceptor.js';
import { createCacheRedisClient, createRawKeyv, type CacheRedisClient } from './redis-keyv.js';
import { ResponseCache } from './response-cache.service.js';

const redisClient = {
  provide: CACHE_REDIS_CLIENT,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => createCacheRedisClient(config.redisUrl),
};

/** The client module that `CacheModule.registerAsync` builds its Keyv store from. */
@Module({ providers: [redisClient], exports: [redisClient] })
class CacheRedisModule {}

/**
 * Response caching in Redis: `@nestjs/cache-manager` over a Keyv Redis store, the
 * generation-checked `ResponseCache` on top, and the interceptor behind `@CacheView()`.
 * The cache manager disconnects the client when the application closes.
 */
@Module({
  imports: [
    CacheRedisModule,
    CacheModule.registerAsync({
      imports: [CacheRedisModule],
      inject: [AppConfig, CACHE_REDIS_CLIENT],
      useFactory: (config: AppConfig, client: CacheRedisClient) => ({
        stores: [createRawKeyv(client, config.cacheTtlSeconds * 1000)],
      }),
    }),
  ],
  providers: [ResponseCache, CacheStats, CacheKeyFactory, HttpCacheInterceptor],
  exports: [ResponseCache, CacheStats, CacheKeyFactory, HttpCacheInterceptor, CacheRedisModule],
})
export class ResponseCacheModule {}
