import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CacheKeyFactory } from '../cache/cache-key.factory.js';
import { ResponseCache, type Lookup } from '../cache/response-cache.service.js';
import { AppConfig } from '../config/configuration.js';
import { OwnerScope } from './owner-scope.js';
import { RefusedTokens } from './refused-tokens.js';
import { bearerToken, readToken, type ReadToken } from './bearer-token.js';
import { ALL_SCOPES, isScope, type Scope } from './scopes.js';
import { SessionsRepository, type LiveSession } from './sessions.repository.js';
import { DAY_MS } from '../common/time.js';

/** A credential's entry in Redis lives this long at most, so its last use is written about once a minute. */
export const SESSION_ENTRY_MS = 60_000;

export const sessionEntryName = (hash: string) => `session:${hash}`;

/**
 * After credentials are deleted from MongoDB: their Redis entries are blocked (longer than
 * any entry lives), so every process reads MongoDB for them, and finds nothing, from the
 * next request on.
 */
export const blockCredentials = (cache: ResponseCache, hashes: readonly string[]) =>
  cache.blockSide(hashes.map(sessionEntryName), 5 * SESSION_ENTRY_MS);

/**
 * Every view the cache holds is of a todos read (a list, a todo, the original's list): a
 * hit is only served to a caller who may read todos.
 */
const CACHED_VIEW_SCOPE: Scope = 'todos:read';

/** The scopes in a credential's Redis entry: `*` for a session's every scope. */
const EVERY_SCOPE = '*';

/** A credential's Redis entry: `<owner> <ends at, epoch ms> <scopes, comma-separated, or *>`. */
export function credentialEntry(
  live: Pick<LiveSession, 'ownerId' | 'kind' | 'scopes'>,
  endsAt: number,
): string {
  const scopes = live.kind === 'session' ? EVERY_SCOPE : live.scopes.join(',');
  return `${live.ownerId} ${endsAt} ${scopes}`;
}

/** What an entry says; an entry of two fields (written before tokens existed) is a session's. */
function readEntry(entry: string): { ownerId: string; endsAt: number; scopes: readonly Scope[] } {
  const [ownerId, endsAt, scopes = EVERY_SCOPE] = entry.split(' ');
  return {
    ownerId,
    endsAt: Number(endsAt),
    scopes: scopes === EVERY_SCOPE ? ALL_SCOPES : scopes.split(',').filter(isScope),
  };
}

/**
 * Checks a request's bearer token before Nest runs (at `onRequest`), so no cached response
 * ever reaches a request without a valid one. One Redis round trip reads the session, the
 * owner's cache stamps and the view the request asks for (when this process already knows
 * its key): a cached hit costs the same round trip as before accounts, the token check
 * included. A session not in Redis is read from MongoDB and put there for a minute (only if
 * absent: a logout's tombstone is never replaced); with Redis away, every check reads MongoDB.
 * A token MongoDB refused is refused again for a few seconds without a read (`RefusedTokens`).
 */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger(Authenticator.name);
  private readonly refused = new RefusedTokens();

  constructor(
    private readonly cache: ResponseCache,
    private readonly keys: CacheKeyFactory,
    private readonly sessions: SessionsRepository,
    private readonly legacy: OwnerScope,
    private readonly config: AppConfig,
  ) {}

  /** Sets `request.principal` for a valid token, and `request.cachedView` for a hit. */
  async authenticate(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request.headers.authorization);
    const read = token === undefined ? undefined : readToken(token);
    if (read === undefined || this.refused.has(read.hash)) return;
    const view = request.method === 'GET' ? this.keys.keyOfValidated(request) : undefined;
    const found = await this.cache.lookup(read.ownerId, view, [sessionEntryName(read.hash)]);
    const scopes = await this.scopesOf(read, found);
    if (!scopes) return;
    // Without LEGACY_OWNER (most deployments) no await on the hit path.
    const holdsOwnerless =
      this.config.legacyOwner !== undefined && (await this.legacy.is(read.ownerId));
    request.principal = {
      id: read.ownerId,
      holdsOwnerless,
      credential: { kind: read.kind, hash: read.hash },
      scopes,
    };
    if (scopes.includes(CACHED_VIEW_SCOPE)) {
      request.cachedView = found?.cached;
      found?.keep?.();
    }
  }

  /** The scopes of a live credential of the token's owner; `undefined` for any other token. */
  private async scopesOf(
    read: ReadToken,
    found: Lookup | undefined,
  ): Promise<readonly Scope[] | undefined> {
    const entry = found?.side[0];
    if (entry !== undefined) {
      const stored = readEntry(entry);
      return stored.ownerId === read.ownerId && stored.endsAt > Date.now()
        ? stored.scopes
        : undefined;
    }
    const live = await this.sessions.findLive(read.hash);
    // The kind is the token's own (its prefix is hashed with it); a record of another kind
    // under the same hash cannot exist, but would be refused.
    if (!live || live.ownerId !== read.ownerId || live.kind !== read.kind) {
      this.refused.add(read.hash);
      return undefined;
    }
    const endsAt = this.touch(read.hash, live);
    if (found) {
      const ttl = Math.min(SESSION_ENTRY_MS, endsAt - Date.now());
      const stored = credentialEntry(live, endsAt);
      await this.cache.fillSide(sessionEntryName(read.hash), found.epoch, stored, ttl);
    }
    return live.scopes;
  }

  /**
   * Records the use when the last one recorded is over a minute old (in the background: the
   * request does not wait for it); the session's end as it now stands.
   */
  private touch(hash: string, live: LiveSession): number {
    const now = Date.now();
    if (live.lastUsedAt > now - SESSION_ENTRY_MS) return live.endsAt;
    // A token has no idle end: it lasts until it expires or is deleted.
    const endsAt =
      live.kind === 'token'
        ? live.expiresAt
        : Math.min(live.expiresAt, now + this.config.sessionIdleDays * DAY_MS);
    this.sessions
      .touch(hash, new Date(now), new Date(endsAt), new Date(now - SESSION_ENTRY_MS))
      .catch((error: unknown) =>
        this.logger.warn(`could not record a session's use: ${String(error)}`),
      );
    return endsAt;
  }
}
