import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';

/** OWASP's Password Storage Cheat Sheet, first argon2id option: 19 MiB, 2 passes, 1 lane. */
const OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * argon2id hashing (the `argon2` package, the reference implementation's bindings). A login
 * for an unknown email verifies against a hash made at boot, so it does the same work as a
 * wrong password and takes as long: the timing does not tell whether the email exists.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private decoy = '';

  async onModuleInit(): Promise<void> {
    this.decoy = await this.hash('a password no account has');
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  /** Whether `password` is the one hashed; `hash` undefined for an unknown account. */
  async verify(hash: string | undefined, password: string): Promise<boolean> {
    const matches = await argon2.verify(hash ?? this.decoy, password);
    return hash !== undefined && matches;
  }
}
