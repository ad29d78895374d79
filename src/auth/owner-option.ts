import type { UsersRepository } from './users.repository.js';

/** The value of `--owner <email>` among a one-off's arguments, if given. */
export function ownerOption(args: string[]): string | undefined {
  const at = args.indexOf('--owner');
  if (at === -1) return undefined;
  const email = args[at + 1];
  if (email === undefined || email.startsWith('--')) throw new Error('--owner needs an email');
  return email;
}

/** The id of the account with this email; an unknown email fails naming it (exit 1). */
export async function accountIdOf(users: UsersRepository, email: string): Promise<string> {
  const account = await users.findByEmail(email);
  if (!account) throw new Error(`no account has the email ${email}: register it first`);
  return account._id.toHexString();
}
