// The knobs every scenario reads from `k6 run -e NAME=value` (or the environment).

function text(name: string): string | undefined {
  const value = __ENV[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A positive number from the environment, or the fallback; a typo stops the run at once. */
export function numberEnv(name: string, fallback: number): number {
  const raw = text(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  }
  return value;
}

/** A positive whole number (k6 refuses fractional VUs and rates). */
export function countEnv(name: string, fallback: number): number {
  const value = numberEnv(name, fallback);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, got ${value}`);
  return value;
}

export function booleanEnv(name: string, fallback: boolean): boolean {
  const raw = text(name);
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

/** A k6 duration such as `90s`, `30m` or `4h`. */
export function durationEnv(name: string, fallback: string): string {
  const raw = text(name);
  if (raw === undefined) return fallback;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(raw)) {
    throw new Error(`${name} must be a k6 duration like 90s, 30m or 2h, got "${raw}"`);
  }
  return raw;
}

/** The API's origin: the service itself (:3000) or nginx in front of it (:8080). */
export const BASE_URL = (text('BASE_URL') ?? 'http://localhost:3000').replace(/\/+$/, '');

/**
 * A personal access token (scopes todos:read and todos:write) to run as, instead of an
 * account the run registers: what a CI job holds, rather than a password.
 */
export const TOKEN = text('TODO_TOKEN');
