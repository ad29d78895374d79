import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';
import { CACHE_REDIS_CLIENT, type RedisClient } from '../redis/redis.module.js';
import { CacheAccountListener } from './cache-account.listener.js';
import { CacheKeyFactory } from './cache-key.factory.js';
import { CacheStats } from './cache-stats.js';
import { HttpCacheInterceptor } from './http-cache.interceptor.js';
import { createRawKeyv } from './redis-keyv.js';
import { ResponseCache } from './response-cache.service.js';

/**
 * Response caching in Redis: `@nestjs/cache-manager` over a Keyv Redis store, the
 * generation-checked `ResponseCache` on top, and the interceptor behind `@CacheView()`.
 * The Redis client is RedisModule's cache client (CACHE_REDIS_URL).
 */
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [AppConfig, CACHE_REDIS_CLIENT],
      useFactory: (config: AppConfig, client: RedisClient) => ({
        stores: [createRawKeyv(client, config.cacheTtlSeconds * 1000)],
      }),
    }),
  ],
  // The account listener runs in the worker only, where the jobs layer finds it.
  providers: [
    ResponseCache,
    CacheStats,
    CacheKeyFactory,
    HttpCacheInterceptor,
    CacheAccountListener,
  ],
  exports: [ResponseCache, CacheStats, CacheKeyFactory, HttpCacheInterceptor],
})
export class ResponseCacheModule {}
