import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ResponseCache } from '../cache/response-cache.service.js';
import { blockCredentials, SESSION_ENTRY_MS } from './authenticator.js';
import type { EndedFilter } from './credential-filters.js';
import { newToken, type CredentialKind } from './bearer-token.js';
import type { CreatedTokenDto, TokenDto } from './dto/me.dto.js';
import type { Scope } from './scopes.js';
import {
  SessionsRepository,
  type OwnedFilter,
  type CredentialRecord,
} from './sessions.repository.js';
import { DAY_MS } from '../common/time.js';

/** The 503 of an end MongoDB holds but Redis could not be told of. */
const NOT_TOLD =
  'the credential has ended, but not every API process could be told yet: retry the request';

/**
 * An end this old needs no block: a Redis entry lives SESSION_ENTRY_MS at most from its fill,
 * which read MongoDB before the end (the margin covers a fill in flight).
 */
const ENTRY_OUTLIVED_MS = 2 * SESSION_ENTRY_MS;

/**
 * Personal access tokens, and ending credentials of either kind. An end is marked in MongoDB
 * (refused from then on by any process reading it), then each Redis entry is blocked, so every
 * API process refuses it from the next request on; only then is it recorded told. An end not
 * yet told is finished by the next end of the account, or by the retry (or a repeat) of its
 * request, which answers as the first would have: the record of the end stays for a day.
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly cache: ResponseCache,
  ) {}

  /** A new token; its secret is in the answer and nowhere else. */
  async issue(
    ownerId: string,
    name: string,
    scopes: Scope[],
    days: number,
  ): Promise<CreatedTokenDto> {
    const { token, hash } = newToken('token', ownerId);
    // One instant for both: expires_at - created_at is exactly the days asked for.
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + days * DAY_MS);
    const record = await this.sessions.create({
      kind: 'token',
      createdAt,
      hash,
      ownerId,
      name,
      scopes: [...new Set(scopes)],
      expiresAt,
      endsAt: expiresAt,
    });
    return { ...tokenDto(record), token };
  }

  async list(ownerId: string): Promise<TokenDto[]> {
    return (await this.sessions.listLive(ownerId, 'token')).map(tokenDto);
  }

  /**
   * Ends the owner's credential of this kind and id (or finishes telling of its end, on a
   * retry); whether the owner had it. Throws the 503 of `tellEnds`.
   */
  async end(ownerId: string, kind: CredentialKind, id: string): Promise<boolean> {
    const filter = { ownerId, kind, id };
    if (!(await this.sessions.markEnded(filter)) && !(await this.sessions.wasEnded(filter))) {
      return false;
    }
    await this.tellEnds(ownerId);
    return true;
  }

  /** Ends the owner's credentials `filter` selects, then tells every process (`tellEnds`). */
  async endWhere(filter: EndedFilter): Promise<void> {
    await this.sessions.markEnded(filter);
    await this.tellEnds(filter.ownerId);
  }

  /** Ends the owner's oldest sessions past the newest `keep`; whether there were any. */
  async endSessionsPast(ownerId: string, keep: number): Promise<boolean> {
    const ids = await this.sessions.sessionsPast(ownerId, keep);
    if (ids.length === 0) return false;
    await this.endWhere({ ownerId, ids });
    return true;
  }

  /**
   * Blocks the Redis entries of the owner's ended credentials not yet told, and records them
   * told: from then on every process refuses them. When Redis cannot be told, the ends stand
   * in MongoDB and a 503 asks for a retry, unless they are older than any Redis entry lives.
   */
  async tellEnds(ownerId: string): Promise<void> {
    const ending = await this.sessions.untold(ownerId);
    if (ending.length === 0) return;
    const told = await blockCredentials(
      this.cache,
      ending.map((credential) => credential.token_hash),
    );
    const outlived = Date.now() - ENTRY_OUTLIVED_MS;
    const done = told ? ending : ending.filter((one) => one.ended_at.getTime() < outlived);
    await this.sessions.markTold(done.map((credential) => credential._id));
    if (done.length < ending.length) throw new ServiceUnavailableException(NOT_TOLD);
  }

  /**
   * Ends and deletes the owner's credentials the filter selects (every one without a filter);
   * how many. Ended in MongoDB first, deleted only once every process was told: when Redis
   * cannot be, a 503, and the retry (or the account deletion job's) finds them again.
   */
  async endAll(ownerId: string, filter: OwnedFilter = {}): Promise<number> {
    await this.sessions.markEnded({ ownerId, ...filter });
    const hashes = await this.sessions.hashesOwnedBy(ownerId, filter);
    const told = await blockCredentials(this.cache, hashes);
    if (!told) throw new ServiceUnavailableException(NOT_TOLD);
    await this.sessions.removeOwnedBy(ownerId, filter);
    return hashes.length;
  }
}

/**
 * `last_used_at` is null until the first use: a token is stored with its creation as its
 * last use (the idle check needs a time), which is not a use.
 */
const tokenDto = (record: CredentialRecord): TokenDto => ({
  id: record._id.toHexString(),
  name: record.name ?? '',
  scopes: record.scopes ?? [],
  created_at: record.created_at.toISOString(),
  last_used_at:
    record.last_used_at.getTime() === record.created_at.getTime()
      ? null
      : record.last_used_at.toISOString(),
  expires_at: record.expires_at.toISOString(),
});
