import { randomBytes } from 'node:crypto';

/** Registrations per hour the test servers allow one address: tests register many accounts. */
export const TEST_REGISTRATIONS = '100000';

export const PASSWORD = 'correct horse battery staple';

/** A fresh email, so accounts of one test file never meet another's. */
export const freshEmail = (label = 'owner') =>
  `${label}-${randomBytes(6).toString('hex')}@example.com`;

/** `Authorization` for a bearer token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Registers an account on the API at `url` (unless it exists) and logs in; its session token. */
export async function signIn(url: string, email = freshEmail()): Promise<string> {
  const credentials = JSON.stringify({ email, password: PASSWORD });
  const headers = { 'content-type': 'application/json' };
  const registered = await fetch(`${url}/auth/register`, {
    method: 'POST',
    headers,
    body: credentials,
  });
  if (registered.status !== 201 && registered.status !== 409) {
    throw new Error(`register answered ${registered.status}: ${await registered.text()}`);
  }
  const login = await fetch(`${url}/auth/login`, { method: 'POST', headers, body: credentials });
  if (login.status !== 200)
    throw new Error(`login answered ${login.status}: ${await login.text()}`);
  return ((await login.json()) as { token: string }).token;
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

export async function adoptDefaultAccount(database: string, url: string): Promise<string> {
  let token = tokensByDatabase.get(database);
  // A test that dropped the database dropped the account with it: sign in again.
  if (token !== undefined && !(await stillValid(url, await token))) token = undefined;
  if (token === undefined) {
    token = signIn(url, defaultEmailOf(database));
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
