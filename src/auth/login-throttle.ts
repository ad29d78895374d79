import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/configuration.js';
import { RetryLaterException } from '../common/retry-later.exception.js';
import { RATE_LIMIT_REDIS } from '../redis/redis.module.js';
import { emailKeyOf } from './users.repository.js';

/**
 * Failed logins counted per email and per client address, and registrations per address,
 * shared by every API process through Redis (`rate-limiter-flexible`). Each window is fixed
 * from its first failure, so a blocked email is free again at most LOGIN_WINDOW_MINUTES
 * later, and a successful login clears its email's count. With Redis away, each process
 * counts in memory (the library's insurance limiter) rather than letting every guess
 * through. Emails are keyed by their hash: no address is written to Redis.
 */
@Injectable()
export class LoginThrottle implements OnModuleInit {
  private readonly byEmail: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;
  private readonly registrations: RateLimiterRedis;

  constructor(
    @Inject(RATE_LIMIT_REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {
    const limiter = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.cacheKeyPrefix}:${name}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration }),
      });
    const window = Math.round(config.loginWindowMinutes * 60);
    this.byEmail = limiter('login-failures:email', config.loginMaxFailures, window);
    this.byAddress = limiter('login-failures:address', config.loginMaxFailuresPerAddress, window);
    this.registrations = limiter('registrations:address', config.registerMaxPerHour, 3_600);
  }

  onModuleInit(): void {
    // Shared with the rate limit, which connects it only when that is on.
    if (this.redis.status === 'wait') this.redis.connect().catch(() => undefined);
  }

  /** Throws the 429 when this email or address has failed too often in the window. */
  async beforeLogin(email: string, address: string): Promise<void> {
    const [forEmail, forAddress] = await Promise.all([
      this.byEmail.get(keyOf(email)),
      this.byAddress.get(address),
    ]);
    const blocked = [
      [forEmail, this.config.loginMaxFailures],
      [forAddress, this.config.loginMaxFailuresPerAddress],
    ] as const;
    for (const [state, max] of blocked) {
      if (state && state.consumedPoints >= max) throw tooMany('login attempts', state);
    }
  }

  async failedLogin(email: string, address: string): Promise<void> {
    await Promise.all([this.byEmail.penalty(keyOf(email)), this.byAddress.penalty(address)]);
  }

  async succeededLogin(email: string): Promise<void> {
    await this.byEmail.delete(keyOf(email));
  }

  /** Counts a registration from `address`; throws the 429 past REGISTER_MAX_PER_HOUR. */
  async register(address: string): Promise<void> {
    try {
      await this.registrations.consume(address);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw tooMany('registrations', error);
      throw error;
    }
  }
}

const keyOf = (email: string) => createHash('sha256').update(emailKeyOf(email)).digest('base64url');

const tooMany = (what: string, state: RateLimiterRes) => {
  const seconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  return new RetryLaterException(`too many ${what}, retry in ${seconds} s`, seconds);
};
