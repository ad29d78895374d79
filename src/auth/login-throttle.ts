import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/configuration.js';
import { RetryLaterException } from '../common/retry-later.exception.js';
import { DAY_MS } from '../common/time.js';
import { RATE_LIMIT_REDIS } from '../redis/redis.module.js';
import { emailKeyOf } from './users.repository.js';

/**
 * The throttle's deadline per Redis command. The rate limit's connection gives up after a
 * quarter second and lets the request through; here a command that gives up is counted in
 * this process's memory instead, where every process has a whole allowance of its own, so
 * a loaded Redis must not send guesses there: a login waits a little longer instead.
 */
const STORE_TIMEOUT_MS = 1_000;

/** A password check let through: `succeeded()` gives its attempt back. */
export interface PasswordAttempt {
  succeeded(): Promise<void>;
}

/**
 * Password checks (logins, and the current password a session must show), shared by every
 * API process through Redis (`rate-limiter-flexible`). Each check takes its attempt before
 * argon2 runs, in one atomic increment per counter, so concurrent guesses cannot all get a
 * check; a right password gives it back. The lockout is per (email, client address): a
 * stranger's guesses lock the stranger's address out, not the owner's. Each address also has
 * a ceiling across emails (spraying), and each email one across addresses (distributed
 * guessing) that an address the email signed in from before does not hit (docs/decisions.md).
 * Windows are fixed from their first attempt. With Redis away, each process counts in memory
 * (the library's insurance limiter) rather than letting every guess through. Emails and
 * addresses are keyed by hash where they are stored together.
 */
@Injectable()
export class LoginThrottle implements OnModuleInit, OnModuleDestroy {
  private readonly byPair: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;
  private readonly byEmail: RateLimiterRedis;
  private readonly registrations: RateLimiterRedis;
  private readonly knownPrefix: string;
  private readonly redis: Redis;
  private readonly config: AppConfig;

  constructor(@Inject(RATE_LIMIT_REDIS) shared: Redis, config: AppConfig) {
    this.config = config;
    // Its own connection, with its own deadline (STORE_TIMEOUT_MS).
    this.redis = shared.duplicate({ lazyConnect: true, commandTimeout: STORE_TIMEOUT_MS });
    this.redis.on('error', () => undefined); // reported by the readiness probe
    const redis = this.redis;
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
    this.byPair = limiter('login-failures:pair', config.loginMaxFailures, window);
    this.byAddress = limiter('login-failures:address', config.loginMaxFailuresPerAddress, window);
    this.byEmail = limiter('login-failures:email', config.loginMaxFailuresPerEmail, window);
    this.registrations = limiter('registrations:address', config.registerMaxPerHour, 3_600);
    this.knownPrefix = `${config.cacheKeyPrefix}:login-known:`;
  }

  onModuleInit(): void {
    this.redis.connect().catch(() => undefined);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  /**
   * Takes one attempt for a password check of `email` from `address`; throws the 429 when a
   * counter has none left (then nothing is taken).
   */
  async attempt(email: string, address: string): Promise<PasswordAttempt> {
    const pair = hashOf(`${emailKeyOf(email)}\n${address}`);
    const counters: [RateLimiterRedis, string][] = [
      [this.byPair, pair],
      [this.byAddress, address],
    ];
    if (!(await this.isKnown(pair))) counters.push([this.byEmail, hashOf(emailKeyOf(email))]);
    const taken = await Promise.allSettled(counters.map(([limiter, key]) => limiter.consume(key)));
    const refused = taken.find((outcome) => outcome.status === 'rejected');
    if (refused) {
      await this.giveBack(counters.filter((_, i) => taken[i].status === 'fulfilled'));
      throw asTooMany('login attempts', refused.reason);
    }
    return {
      succeeded: async () => {
        await Promise.all([this.giveBack(counters), this.remember(pair)]);
      },
    };
  }

  /** Counts a registration from `address`; throws the 429 past REGISTER_MAX_PER_HOUR. */
  async register(address: string): Promise<void> {
    try {
      await this.registrations.consume(address);
    } catch (error) {
      throw asTooMany('registrations', error);
    }
  }

  private async giveBack(counters: [RateLimiterRedis, string][]): Promise<void> {
    await Promise.all(counters.map(([limiter, key]) => limiter.reward(key).catch(() => undefined)));
  }

  /** Whether the email signed in from this address within SESSION_MAX_DAYS. */
  private async isKnown(pair: string): Promise<boolean> {
    const found = await this.redis.exists(this.knownPrefix + pair).catch(() => 0);
    return found > 0;
  }

  private async remember(pair: string): Promise<void> {
    const ttl = Math.round((this.config.sessionMaxDays * DAY_MS) / 1000);
    await this.redis.set(this.knownPrefix + pair, '1', 'EX', ttl).catch(() => undefined);
  }
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('base64url');

/** The library rejects with its result when out of points, with an Error when the store fails. */
const asTooMany = (what: string, reason: unknown): Error => {
  if (!(reason instanceof RateLimiterRes)) {
    return reason instanceof Error ? reason : new Error(String(reason));
  }
  const seconds = Math.max(1, Math.ceil(reason.msBeforeNext / 1000));
  return new RetryLaterException(`too many ${what}, retry in ${seconds} s`, seconds);
};
