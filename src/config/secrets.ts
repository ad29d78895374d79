import type { z } from 'zod';

/**
 * The secrets the service itself holds: what a config error never prints, and what
 * production wants long and never a placeholder. A variable added here is covered by both.
 */
export const SECRET_VARIABLES = ['CURSOR_SECRET', 'ADMIN_PASSWORD'] as const;

/** The public development value of CURSOR_SECRET: anyone who read the repository knows it. */
export const DEVELOPMENT_CURSOR_SECRET = 'dev-only-cursor-secret-change-me';

/** The shortest secret production takes: 32 characters, e.g. `openssl rand -base64 32`. */
export const PRODUCTION_SECRET_MIN_LENGTH = 32;

/** What the deployment templates put where a value must go (deploy/k8s/secret.yaml). */
const PLACEHOLDER = 'change-me';

/** Words in a variable's name that mark its value as a secret, whatever module added it. */
const SECRET_NAME_WORDS = ['SECRET', 'PASSWORD', 'TOKEN'];

const MASK = '****';

const isSecretName = (name: string) =>
  (SECRET_VARIABLES as readonly string[]).includes(name) ||
  SECRET_NAME_WORDS.some((word) => name.includes(word));

/**
 * `value` with the credentials of any URI in it masked: `redis://:****@host`,
 * `mongodb://app:****@host/todo`; a user with no password (some clients take that as the
 * password) is masked whole. Everything from `://` to the last `@` is the user part, so a
 * password holding an unescaped `@`, `/` or `:` is masked too (at worst, more is masked).
 */
export function maskCredentials(value: string): string {
  const scheme = value.indexOf('://');
  const at = value.lastIndexOf('@');
  if (scheme === -1 || at < scheme) return value;
  const userInfo = value.slice(scheme + 3, at);
  const colon = userInfo.indexOf(':');
  const shown = colon === -1 ? MASK : `${userInfo.slice(0, colon)}:${MASK}`;
  return `${value.slice(0, scheme + 3)}${shown}${value.slice(at)}`;
}

/** How a config error shows the value a variable had: never a secret, URIs masked. */
export function shownValue(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  if (isSecretName(name)) return ' (value not shown: a secret)';
  return ` (got ${JSON.stringify(maskCredentials(value))})`;
}

/**
 * In production, a secret must be long and no placeholder, and no variable may still hold
 * the deployment templates' CHANGE-ME (such as a URI's password): a template applied as it
 * is, or the public development secret, would otherwise boot and let anyone who read the
 * repository sign cursors.
 */
export function checkProductionValues(env: Record<string, unknown>, context: z.RefinementCtx) {
  if (env.NODE_ENV !== 'production') return;
  for (const [name, value] of Object.entries(env)) {
    const message = typeof value === 'string' ? productionProblem(name, value) : undefined;
    if (message) context.addIssue({ code: 'custom', path: [name], message });
  }
}

function productionProblem(name: string, value: string): string | undefined {
  if (name === 'CURSOR_SECRET' && value === DEVELOPMENT_CURSOR_SECRET) {
    return 'is the public development default; production needs its own';
  }
  if (value.toLowerCase().includes(PLACEHOLDER)) {
    return 'holds a CHANGE-ME placeholder; production needs the real value';
  }
  const secret = (SECRET_VARIABLES as readonly string[]).includes(name);
  if (secret && value.length < PRODUCTION_SECRET_MIN_LENGTH) {
    return `must be at least ${PRODUCTION_SECRET_MIN_LENGTH} characters in production`;
  }
  return undefined;
}
