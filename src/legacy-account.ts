import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { text } from 'node:stream/consumers';
import { accountsOneOffModule } from './auth/accounts-one-off.js';
import { bootOrExit } from './bootstrap.js';
import {
  LegacyOwnerAccount,
  type LegacyAccountOutcome,
} from './original/legacy-owner-account.service.js';

/**
 * `npm run -s legacy-account` (`node dist/legacy-account.js` in the image): makes the account
 * LEGACY_OWNER names, with the password in LEGACY_OWNER_PASSWORD or, when that is unset, on
 * stdin (one line) — never in the arguments, which `ps` shows, and never printed. The
 * operator then signs in as it with POST /auth/login. Run again with the same password, it
 * changes nothing; with another, it resets it and ends the account's sessions and tokens
 * (`LegacyOwnerAccount`). Needs MongoDB and Redis (ending credentials tells every process).
 */

const PASSWORD_VARIABLE = 'LEGACY_OWNER_PASSWORD';

/** The variable, else stdin's first line; a terminal is refused, as it would echo it. */
async function password(): Promise<string> {
  const given = process.env[PASSWORD_VARIABLE];
  if (given !== undefined && given !== '') return given;
  if (process.stdin.isTTY) {
    throw new Error(`set ${PASSWORD_VARIABLE}, or give the password on stdin through a pipe`);
  }
  const [line = ''] = (await text(process.stdin)).split(/\r?\n/);
  if (line === '') throw new Error(`no password: set ${PASSWORD_VARIABLE}, or pipe it on stdin`);
  return line;
}

const SAID: Record<LegacyAccountOutcome['outcome'], string> = {
  created: 'created',
  unchanged: 'exists with this password: nothing changed',
  'password reset': 'password reset',
  'taken over': 'taken over from an account registered with this email; password reset',
};

await bootOrExit(async (config) => {
  const secret = await password();
  const app = await NestFactory.createApplicationContext(
    accountsOneOffModule(config, LegacyOwnerAccount),
    {
      logger: ['error', 'warn'],
    },
  );
  const account = app.get(LegacyOwnerAccount);
  const done = await account.provide(secret);
  await app.close();
  const ended = 'ended' in done ? `, ${done.ended} sessions and tokens ended` : '';
  process.stdout.write(
    `legacy-account: ${account.email()} ${SAID[done.outcome]}${ended}; ` +
      'sign in with POST /auth/login\n',
  );
}, 'legacy-account failed');
