import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CacheKeyFactory } from '../cache/cache-key.factory.js';
import { ResponseCache, type Lookup } from '../cache/response-cache.service.js';
import { AppConfig } from '../config/configuration.js';
import { LegacyOwner } from './legacy-owner.js';
import { bearerToken, readSessionToken, type ReadToken } from './session-token.js';
import { SessionsRepository, type LiveSession } from './sessions.repository.js';

/** A session's entry in Redis lives this long at most, so its last use is written about once a minute. */
export const SESSION_ENTRY_MS = 60_000;
const DAY_MS = 24 * 3600 * 1000;

export const sessionEntryName = (hash: string) => `session:${hash}`;

/**
 * Checks a request's bearer token before Nest runs (at `onRequest`), so no cached response
 * ever reaches a request without a valid one. One Redis round trip reads the session, the
 * owner's cache stamps and the view the request asks for (when this process already knows
 * its key): a cached hit costs the same round trip as before accounts, the token check
 * included. A session not in Redis is read from MongoDB and put there for a minute (only if
 * absent: a logout's tombstone is never replaced); with Redis away, every check reads MongoDB.
 */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger(Authenticator.name);

  constructor(
    private readonly cache: ResponseCache,
    private readonly keys: CacheKeyFactory,
    private readonly sessions: SessionsRepository,
    private readonly legacy: LegacyOwner,
    private readonly config: AppConfig,
  ) {}

  /** Sets `request.principal` for a valid token, and `request.cachedView` for a hit. */
  async authenticate(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request.headers.authorization);
    const read = token === undefined ? undefined : readSessionToken(token);
    if (read === undefined) return;
    const view = request.method === 'GET' ? this.keys.keyOfValidated(request) : undefined;
    const found = await this.cache.lookup(read.ownerId, view, [sessionEntryName(read.hash)]);
    const live = await this.session(read, found);
    if (!live) return;
    // Without LEGACY_OWNER (most deployments) no await on the hit path.
    const holdsOwnerless =
      this.config.legacyOwner !== undefined && (await this.legacy.is(read.ownerId));
    request.principal = { id: read.ownerId, holdsOwnerless, sessionHash: read.hash };
    request.cachedView = found?.cached;
  }

  /**
   * After the session is deleted from MongoDB: its entry is blocked, so every process reads
   * MongoDB for it (and finds nothing) from the next request on.
   */
  async ended(hash: string): Promise<void> {
    await this.cache.blockSide(sessionEntryName(hash), 5 * SESSION_ENTRY_MS);
  }

  private async session(
    read: ReadToken,
    found: Lookup | undefined,
  ): Promise<{ ownerId: string } | undefined> {
    const entry = found?.side[0];
    if (entry !== undefined) {
      const [ownerId, endsAt] = entry.split(' ');
      return ownerId === read.ownerId && Number(endsAt) > Date.now() ? { ownerId } : undefined;
    }
    const live = await this.sessions.findLive(read.hash);
    if (!live || live.ownerId !== read.ownerId) return undefined;
    const endsAt = this.touch(read.hash, live);
    if (found) {
      const ttl = Math.min(SESSION_ENTRY_MS, endsAt - Date.now());
      const stored = `${live.ownerId} ${endsAt}`;
      await this.cache.fillSide(sessionEntryName(read.hash), found.epoch, stored, ttl);
    }
    return live;
  }

  /**
   * Records the use when the last one recorded is over a minute old (in the background: the
   * request does not wait for it); the session's end as it now stands.
   */
  private touch(hash: string, live: LiveSession): number {
    const now = Date.now();
    if (live.lastUsedAt > now - SESSION_ENTRY_MS) return live.endsAt;
    const endsAt = Math.min(live.expiresAt, now + this.config.sessionIdleDays * DAY_MS);
    this.sessions
      .touch(hash, new Date(now), new Date(endsAt), new Date(now - SESSION_ENTRY_MS))
      .catch((error: unknown) =>
        this.logger.warn(`could not record a session's use: ${String(error)}`),
      );
    return endsAt;
  }
}
