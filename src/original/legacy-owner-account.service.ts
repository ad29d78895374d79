import { Injectable } from '@nestjs/common';
import { AccessTokens } from '../auth/access-tokens.service.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/dto/credentials.dto.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import { UsersRepository } from '../auth/users.repository.js';
import { AppConfig } from '../config/configuration.js';

/** What the command did; `ended`: the sessions and tokens that a reset refused everywhere. */
export type LegacyAccountOutcome =
  | { outcome: 'created' }
  | { outcome: 'unchanged' }
  | { outcome: 'password reset' | 'taken over'; ended: number };

/**
 * The operator's way to make LEGACY_OWNER's account (`dist/legacy-account.js`): the API
 * refuses to register, or delete, that email. Idempotent: run again with the same password,
 * it changes nothing; with another, it resets the password and ends every session and token
 * of the account on every process (the recovery for a lost or leaked password). An account
 * someone registered with the email before LEGACY_OWNER was set is taken over the same way,
 * so whoever registered it loses it.
 */
@Injectable()
export class LegacyOwnerAccount {
  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: AccessTokens,
  ) {}

  async provide(password: string): Promise<LegacyAccountOutcome> {
    const email = this.email();
    checkPassword(password);
    const hash = await this.passwords.hash(password);
    if (await this.users.create(email, hash, true)) return { outcome: 'created' };
    const existing = await this.users.markedCredentialsOf(email);
    // Deleted between the two reads: nothing was changed, a rerun creates it.
    if (!existing) throw new Error(`the account of ${email} went away meanwhile: run again`);
    const marked = existing.legacy_owner === true;
    if (marked && (await this.passwords.verify(existing.password_hash, password))) {
      return { outcome: 'unchanged' };
    }
    const id = existing._id.toHexString();
    // The new password, then no credential of the old one left, and only then the mark: no
    // session of whoever held the account acts as LEGACY_OWNER. The second end catches a
    // session that a login checked against the old password just before wrote meanwhile.
    await this.users.setPasswordHash(id, hash);
    let ended = await this.tokens.endAll(id);
    if (!marked) {
      await this.users.markLegacyOwner(id);
      ended += await this.tokens.endAll(id);
    }
    return { outcome: marked ? 'password reset' : 'taken over', ended };
  }

  email(): string {
    const email = this.config.legacyOwner;
    if (email === undefined) throw new Error('LEGACY_OWNER is not set: it names the account');
    return email;
  }
}

/** Registration's rule; the message names the rule, never the value. */
function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new Error(
      `the password must have ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
    );
  }
}
