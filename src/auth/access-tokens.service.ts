import { Injectable } from '@nestjs/common';
import { ResponseCache } from '../cache/response-cache.service.js';
import { blockCredentials } from './authenticator.js';
import { newToken, type CredentialKind } from './bearer-token.js';
import type { CreatedTokenDto, TokenDto } from './dto/me.dto.js';
import type { Scope } from './scopes.js';
import { SessionsRepository, type CredentialRecord } from './sessions.repository.js';
import { DAY_MS } from '../common/time.js';

/**
 * Personal access tokens, and ending credentials of either kind. Ending one deletes it in
 * MongoDB, then blocks its Redis entry, so every API process refuses it from the next
 * request on.
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

  /** Ends the owner's credential of this kind and id; whether the owner had it. */
  async end(ownerId: string, kind: CredentialKind, id: string): Promise<boolean> {
    const hash = await this.sessions.removeOne(ownerId, kind, id);
    if (hash === undefined) return false;
    await blockCredentials(this.cache, [hash]);
    return true;
  }

  /** Ends the owner's credentials the filter selects (every one without a filter); how many. */
  async endAll(
    ownerId: string,
    filter?: Parameters<SessionsRepository['removeOwnedBy']>[1],
  ): Promise<number> {
    const hashes = await this.sessions.removeOwnedBy(ownerId, filter);
    await blockCredentials(this.cache, hashes);
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
