import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';
import type { AccountDto, SessionTokenDto } from './dto/account.dto.js';
import type { CredentialsDto } from './dto/credentials.dto.js';
import { AccessTokens } from './access-tokens.service.js';
import { OwnerScope } from './owner-scope.js';
import { LoginThrottle } from './login-throttle.js';
import type { Principal } from './owner.js';
import { PasswordHasher } from './password-hasher.js';
import { newToken } from './bearer-token.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository, type Account } from './users.repository.js';
import { DAY_MS } from '../common/time.js';

/** One answer for an unknown email and a wrong password: neither tells which it was. */
const BAD_CREDENTIALS = 'the email or the password is wrong';
/** One answer for a registered email and LEGACY_OWNER's: neither tells which it was. */
const EMAIL_TAKEN = 'an account with this email exists';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly tokens: AccessTokens,
    private readonly config: AppConfig,
    private readonly legacy: OwnerScope,
  ) {}

  /**
   * `address`: the client's, for the per-address limit on registrations. LEGACY_OWNER's
   * email is the operator's to make (it would hold every todo without an owner): it gets a
   * taken email's answer, after the same hashing, whether the operator has made it or not.
   */
  async register({ email, password }: CredentialsDto, address: string): Promise<AccountDto> {
    await this.throttle.register(address);
    const hash = await this.passwords.hash(password);
    const account = this.legacy.reserves(email) ? null : await this.users.create(email, hash);
    if (!account) throw new ConflictException(EMAIL_TAKEN);
    return accountDto(account);
  }

  /**
   * The attempt is taken before the password is checked (`LoginThrottle`). Past SESSIONS_MAX
   * the oldest sessions end; when not every process can be told, the new session is dropped
   * and the 503 asks for a retry, which then finds room.
   */
  async login({ email, password }: CredentialsDto, address: string): Promise<SessionTokenDto> {
    const attempt = await this.throttle.attempt(email, address);
    const user = await this.users.credentialsOf(email);
    if (!(await this.passwords.verify(user?.password_hash, password)) || !user) {
      throw new UnauthorizedException(BAD_CREDENTIALS);
    }
    await attempt.succeeded();
    const ownerId = user._id.toHexString();
    const { token, hash } = newToken('session', ownerId);
    const now = Date.now();
    const expiresAt = new Date(now + this.config.sessionMaxDays * DAY_MS);
    const endsAt = new Date(
      Math.min(expiresAt.getTime(), now + this.config.sessionIdleDays * DAY_MS),
    );
    await this.sessions.create({ kind: 'session', hash, ownerId, expiresAt, endsAt });
    try {
      await this.tokens.endSessionsPast(ownerId, this.config.sessionsMax);
    } catch (error) {
      await this.tokens.endWhere({ ownerId, hash }).catch(() => undefined);
      throw error;
    }
    return { token, token_type: 'Bearer', expires_at: expiresAt.toISOString() };
  }

  /**
   * Ends the caller's session: 204 once every process refuses its token, else a 503 whose
   * retry (with the same token, which the guard lets in for this) finishes telling them.
   */
  async logout(principal: Principal): Promise<void> {
    const hash = principal.credential?.hash;
    if (hash === undefined) {
      throw new UnauthorizedException('there is no session to end: no token was sent');
    }
    await this.tokens.endWhere({ ownerId: principal.id, hash });
  }

  async me(principal: Principal): Promise<AccountDto> {
    const account = await this.users.findById(principal.id);
    // The session outlived its account: nothing to show, as for any invalid token.
    if (!account) throw new UnauthorizedException('the account of this token no longer exists');
    return accountDto(account);
  }
}

const accountDto = (account: Account): AccountDto => ({
  id: account._id.toHexString(),
  email: account.email,
  created_at: account.created_at.toISOString(),
});
