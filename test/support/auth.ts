import { randomBytes } from 'node:crypto';
import { runEntrypoint } from './process.js';

/** Registrations per hour the test servers allow one address: tests register many accounts. */
export const TEST_REGISTRATIONS = '100000';

export const PASSWORD = 'correct horse battery staple';

/** A fresh email, so accounts of one test file never meet another's. */
export const freshEmail = (label = 'owner') =>
  `${label}-${randomBytes(6).toString('hex')}@example.com`;

/** `Authorization` for a bearer token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const JSON_TYPE = { 'content-type': 'application/json' };

/** Registers an account on the API at `url` (unless it exists) and logs in; its session token. */
export async function signIn(url: string, email = freshEmail()): Promise<string> {
  const credentials = JSON.stringify({ email, password: PASSWORD });
  const registered = await fetch(`${url}/auth/register`, {
    method: 'POST',
    headers: JSON_TYPE,
    body: credentials,
  });
  if (registered.status !== 201 && registered.status !== 409) {
    throw new Error(`register answered ${registered.status}: ${await registered.text()}`);
  }
  return logIn(url, email);
}

/** Logs in to an existing account; its session token. */
export async function logIn(url: string, email: string, password = PASSWORD): Promise<string> {
  const credentials = JSON.stringify({ email, password });
  const login = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: JSON_TYPE,
    body: credentials,
  });
  if (login.status !== 200)
    throw new Error(`login answered ${login.status}: ${await login.text()}`);
  return ((await login.json()) as { token: string }).token;
}

/**
 * Runs the operator's command that makes LEGACY_OWNER's account (`dist/legacy-account.js`)
 * with `env` (the API's stores and LEGACY_OWNER), the password in its variable; its output.
 */
export async function makeLegacyAccount(
  env: Record<string, string>,
  password = PASSWORD,
): Promise<string> {
  const command = runEntrypoint('legacy-account', { ...env, LEGACY_OWNER_PASSWORD: password });
  const exit = await command.exited;
  if (exit.code !== 0) throw new Error(`legacy-account exited ${exit.code}: ${command.output()}`);
  return command.stdout();
}

/**
 * The API refuses to register LEGACY_OWNER's email: the operator's command makes the account
 * (`env` as for `makeLegacyAccount`), then it logs in as anyone does; its session token.
 */
export async function signInAsLegacyOwner(
  url: string,
  env: Record<string, string>,
): Promise<string> {
  const email = env.LEGACY_OWNER;
  if (email === undefined) throw new Error('signInAsLegacyOwner needs LEGACY_OWNER in env');
  await makeLegacyAccount(env);
  return logIn(url, email);
}

/**
 * The account the requests of a test file act as by default: one per database, so two API
 * processes on one database (a test of races between them) see the same owner's todos.
 * `send` attaches its token to requests for every URL registered here.
 */
const tokensByDatabase = new Map<string, Promise<string>>();

/**
 * The default account's email for a database: set it as LEGACY_OWNER for a test of the
 * original's documents, which have no owner and are that account's then.
 */
export const defaultEmailOf = (database: string) =>
  `default-${database.replace(/[^a-z0-9]/gi, '-')}@example.com`;
const tokensByUrl = new Map<string, string>();

/**
 * `env`: the API's stores and settings. When its LEGACY_OWNER is the default account, that
 * account is made by the operator's command, as the API refuses to register it.
 */
export async function adoptDefaultAccount(
  database: string,
  url: string,
  env: Record<string, string> = {},
): Promise<string> {
  let token = tokensByDatabase.get(database);
  // A test that dropped the database dropped the account with it: sign in again.
  if (token !== undefined && !(await stillValid(url, await token))) token = undefined;
  if (token === undefined) {
    const email = defaultEmailOf(database);
    token =
      env.LEGACY_OWNER?.toLowerCase() === email.toLowerCase()
        ? signInAsLegacyOwner(url, env)
        : signIn(url, email);
    tokensByDatabase.set(database, token);
  }
  tokensByUrl.set(url, await token);
  return token;
}

/** After the database is dropped, its default account is gone with it. */
export function forgetDefaultAccount(database: string, url: string): void {
  tokensByDatabase.delete(database);
  tokensByUrl.delete(url);
}

export const defaultTokenFor = (url: string): string | undefined => tokensByUrl.get(url);

/** Requests to `url` act as the default account of the API at `upstream` (a proxy in front). */
export function shareDefaultAccount(url: string, upstream: string): void {
  const token = tokensByUrl.get(upstream);
  if (token !== undefined) tokensByUrl.set(url, token);
}

async function stillValid(url: string, token: string): Promise<boolean> {
  return (await fetch(`${url}/me`, { headers: bearer(token) })).status === 200;
}
