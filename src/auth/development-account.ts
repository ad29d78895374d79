import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AccessTokens } from './access-tokens.service.js';
import type { CreatedTokenDto } from './dto/me.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { ALL_SCOPES } from './scopes.js';
import { UsersRepository } from './users.repository.js';

/** The local development account's email (a reserved domain: it can never be anyone's). */
export const DEVELOPMENT_EMAIL = 'developer@example.com';
/** Its token's name: each start ends the tokens of this name and makes a new one. */
export const DEVELOPMENT_TOKEN_NAME = 'npm start';
const DEVELOPMENT_TOKEN_DAYS = 30;

/**
 * `npm start`'s account, outside production: made once (its password is random and never
 * shown: the way in is the token), and at each start a fresh personal access token with
 * every scope, the previous one ended.
 */
@Injectable()
export class DevelopmentAccount {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: AccessTokens,
  ) {}

  async freshToken(): Promise<CreatedTokenDto> {
    const ownerId = await this.accountId();
    await this.tokens.endAll(ownerId, { kind: 'token', name: DEVELOPMENT_TOKEN_NAME });
    return this.tokens.issue(
      ownerId,
      DEVELOPMENT_TOKEN_NAME,
      [...ALL_SCOPES],
      DEVELOPMENT_TOKEN_DAYS,
    );
  }

  /** The account's id, registering it first if needed (two starts at once both end up here). */
  private async accountId(): Promise<string> {
    const existing = await this.users.findByEmail(DEVELOPMENT_EMAIL);
    if (existing) return existing._id.toHexString();
    const password = await this.passwords.hash(randomBytes(32).toString('base64url'));
    const created =
      (await this.users.create(DEVELOPMENT_EMAIL, password)) ??
      (await this.users.findByEmail(DEVELOPMENT_EMAIL));
    if (!created) throw new Error(`could not create ${DEVELOPMENT_EMAIL}`);
    return created._id.toHexString();
  }
}
