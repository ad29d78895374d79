import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';
import { UsersRepository } from './users.repository.js';

/** How long the account id of LEGACY_OWNER is remembered (it may be registered after boot). */
const REMEMBER_MS = 30_000;

/**
 * The account LEGACY_OWNER names, if set and registered: it holds the todos without an owner,
 * and the original's routes act for it when called without a token. Looked up by email and
 * remembered briefly, so requests do not each read the users collection.
 */
@Injectable()
export class LegacyOwner {
  private remembered?: { id: string | undefined; until: number };

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
  ) {}

  /** The account's id; `undefined` when LEGACY_OWNER is unset or names no account yet. */
  async id(): Promise<string | undefined> {
    const email = this.config.legacyOwner;
    if (email === undefined) return undefined;
    if (this.remembered && this.remembered.until > Date.now()) return this.remembered.id;
    const account = await this.users.findByEmail(email);
    const id = account?._id.toHexString();
    this.remembered = { id, until: Date.now() + REMEMBER_MS };
    return id;
  }

  /** Whether `ownerId` is LEGACY_OWNER's account; no I/O when it is unset. */
  async is(ownerId: string): Promise<boolean> {
    return this.config.legacyOwner !== undefined && (await this.id()) === ownerId;
  }
}
