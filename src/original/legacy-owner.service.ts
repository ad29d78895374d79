import { Injectable, Logger } from '@nestjs/common';
import { OwnerScope } from '../auth/owner-scope.js';
import { emailKeyOf, UsersRepository } from '../auth/users.repository.js';
import { AppConfig } from '../config/configuration.js';

/** How long the account id of LEGACY_OWNER is remembered (the operator may make it after boot). */
const REMEMBER_MS = 30_000;

/**
 * The account LEGACY_OWNER names, if set and made by the operator's `legacy-account`
 * command: it holds the todos without an owner, and the original's routes act for it when
 * called without a token. Only an account that command marked counts, and the API never
 * registers or deletes one with that email: nobody can become it through the API. Looked
 * up by email and remembered briefly, so requests do not each read the users collection.
 * The core asks it as its `OwnerScope`.
 */
@Injectable()
export class LegacyOwner implements OwnerScope {
  private readonly logger = new Logger(LegacyOwner.name);
  private remembered?: { id: string | undefined; until: number };
  private warned = false;

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
  ) {}

  /** The account's id; `undefined` when LEGACY_OWNER is unset or the operator has not made it. */
  async id(): Promise<string | undefined> {
    const email = this.config.legacyOwner;
    if (email === undefined) return undefined;
    if (this.remembered && this.remembered.until > Date.now()) return this.remembered.id;
    const account = await this.users.findLegacyOwner(email);
    const id = account?._id.toHexString();
    this.remembered = { id, until: Date.now() + REMEMBER_MS };
    if (id === undefined) this.warnOnce();
    return id;
  }

  /** Whether `ownerId` is LEGACY_OWNER's account; no I/O when it is unset. */
  async is(ownerId: string): Promise<boolean> {
    return this.config.legacyOwner !== undefined && (await this.id()) === ownerId;
  }

  /** Whether `email` is LEGACY_OWNER's, made or not: only the operator's command takes it. */
  reserves(email: string): boolean {
    const legacy = this.config.legacyOwner;
    return legacy !== undefined && emailKeyOf(legacy) === emailKeyOf(email);
  }

  /** Once per process: the original's tokenless clients get 401s until the operator acts. */
  private warnOnce(): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(
      'LEGACY_OWNER names no account yet: the original routes answer 401 without a token ' +
        'until the operator runs the legacy-account command',
    );
  }
}
