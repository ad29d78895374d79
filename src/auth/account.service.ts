import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { ResponseCache } from '../cache/response-cache.service.js';
import { JobsProducer } from '../jobs/jobs.producer.js';
import { RedisLock } from '../redis/redis-lock.js';
import { accountDeletionJobId } from './account-deletion-job.js';
import { AccessTokens } from './access-tokens.service.js';
import type { CredentialKind } from './bearer-token.js';
import type {
  CreatedTokenDto,
  CreateTokenDto,
  PasswordChangeDto,
  SessionDto,
  TokenDto,
} from './dto/me.dto.js';
import { TOKEN_DEFAULT_DAYS } from './dto/me.dto.js';
import { OwnerScope } from './owner-scope.js';
import { LoginThrottle } from './login-throttle.js';
import type { Principal } from './owner.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository } from './users.repository.js';

/** Live tokens an account may hold: enough for any team's scripts, not a store of secrets. */
export const MAX_TOKENS = 100;

/**
 * How long a token's creation waits for the account's lock: each holder counts and inserts
 * (two MongoDB round trips), so a burst of a few dozen is served, not refused.
 */
const TOKEN_LOCK_WAIT_MS = 10_000;

/** How recently a session must have signed in to delete the account. */
export const RECENT_SIGN_IN_MS = 10 * 60_000;

const SIGN_IN_AGAIN =
  'deleting the account takes a session signed in within the last 10 minutes: ' +
  'sign in again (POST /auth/login) and send the new session token';

/**
 * What an owner does with their own account: its sessions, its personal access tokens, its
 * password, and leaving. Credentials that end are refused by every API process from the
 * next request on (`AccessTokens`). The guard lets only sessions here: a token cannot mint
 * tokens or delete the account.
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly tokens: AccessTokens,
    private readonly cache: ResponseCache,
    private readonly locks: RedisLock,
    private readonly jobs: JobsProducer,
    private readonly legacy: OwnerScope,
  ) {}

  async listSessions(caller: Principal): Promise<SessionDto[]> {
    const sessions = await this.sessions.listLive(caller.id, 'session');
    return sessions.map((session) => ({
      id: session._id.toHexString(),
      created_at: session.created_at.toISOString(),
      last_used_at: session.last_used_at.toISOString(),
      expires_at: session.expires_at.toISOString(),
      current: session.token_hash === caller.credential?.hash,
    }));
  }

  async endSession(caller: Principal, id: string): Promise<void> {
    await this.end(caller, 'session', id);
  }

  /**
   * Checks the current password (a login throttle attempt: a stolen session cannot guess it),
   * ends the other sessions everywhere, stores the new password (a 503 before it changes none;
   * the retry finishes), and ends them again: a login verified meanwhile by the old password.
   */
  async changePassword(
    caller: Principal,
    { current_password, new_password }: PasswordChangeDto,
    address: string,
  ): Promise<void> {
    await this.checkPassword(caller, current_password, 'current_password', address);
    const hash = await this.passwords.hash(new_password);
    const others = {
      ownerId: caller.id,
      kind: 'session',
      ...(caller.credential === undefined ? {} : { exceptHash: caller.credential.hash }),
    } as const;
    await this.tokens.endWhere(others);
    await this.users.setPasswordHash(caller.id, hash);
    await this.tokens.endWhere(others);
  }

  /**
   * A token outlives the session that makes it, so making one takes the password: a stolen
   * session cannot mint a year of access. The cap is counted and the token stored under one
   * lock per account, so concurrent requests cannot pass it together.
   */
  async createToken(
    caller: Principal,
    { name, scopes, expires_in_days = TOKEN_DEFAULT_DAYS, password }: CreateTokenDto,
    address: string,
  ): Promise<CreatedTokenDto> {
    await this.checkPassword(caller, password, 'password', address);
    // A 409: the request is valid, the account's state refuses it until a token is deleted.
    const full = () =>
      new ConflictException(`an account holds at most ${MAX_TOKENS} tokens: delete one first`);
    // Counted outside the lock first: a full account's requests need not queue for it.
    if ((await this.sessions.countLiveTokens(caller.id)) >= MAX_TOKENS) throw full();
    const create = async () => {
      if ((await this.sessions.countLiveTokens(caller.id)) >= MAX_TOKENS) throw full();
      return this.tokens.issue(caller.id, name, scopes, expires_in_days);
    };
    return this.locks.holding(caller.id, 'tokens', create, TOKEN_LOCK_WAIT_MS);
  }

  listTokens(caller: Principal): Promise<TokenDto[]> {
    return this.tokens.list(caller.id);
  }

  async deleteToken(caller: Principal, id: string): Promise<void> {
    await this.end(caller, 'token', id);
  }

  /**
   * Deletes the account: the job that deletes its data is queued first (a 503 then changes
   * nothing), then the account goes (its email is free at once) and every session and token
   * of it ends on every process. The worker deletes the rest. LEGACY_OWNER's account is the
   * operator's: deleting it would free its email and take the todos without an owner with it.
   * Known by its email, read now: a process that remembers it as not made yet still refuses.
   */
  async deleteAccount(caller: Principal): Promise<void> {
    const account = await this.users.findById(caller.id);
    if (account && this.legacy.reserves(account.email)) {
      throw new ForbiddenException(
        "the LEGACY_OWNER account is the operator's: it cannot be deleted through the API",
      );
    }
    await this.requireRecentSignIn(caller);
    await this.jobs.enqueue(
      'accounts.delete',
      { owner_id: caller.id },
      { jobId: accountDeletionJobId(caller.id) },
    );
    await this.users.remove(caller.id);
    await this.tokens.endAll(caller.id);
    await this.cache.invalidate(caller.id);
  }

  /** 400 naming `field` for a wrong password; 429 past the login throttle. */
  private async checkPassword(
    caller: Principal,
    password: string,
    field: string,
    address: string,
  ): Promise<void> {
    const account = await this.users.credentialsById(caller.id);
    if (!account) throw new UnauthorizedException('the account of this token no longer exists');
    const attempt = await this.throttle.attempt(account.email, address);
    if (!(await this.passwords.verify(account.password_hash, password))) {
      throw new BadRequestException(`${field} is wrong`);
    }
    await attempt.succeeded();
  }

  /** A session that signed in over RECENT_SIGN_IN_MS ago (maybe stolen) cannot delete the account. */
  private async requireRecentSignIn(caller: Principal): Promise<void> {
    const hash = caller.credential?.hash;
    const signedIn = hash === undefined ? undefined : await this.sessions.createdAtOf(hash);
    if (signedIn === undefined || signedIn.getTime() < Date.now() - RECENT_SIGN_IN_MS) {
      throw new ForbiddenException(SIGN_IN_AGAIN);
    }
  }

  private async end(caller: Principal, kind: CredentialKind, id: string): Promise<void> {
    // Another account's, or none: the same answer, so ids of others cannot be probed.
    if (!(await this.tokens.end(caller.id, kind, id))) {
      throw new NotFoundException(`no ${kind} ${id} of yours`);
    }
  }
}
