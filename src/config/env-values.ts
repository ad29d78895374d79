import { z } from 'zod';

/** A `true`/`false` variable, as a boolean. */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');

/** One browser origin, exactly as a browser sends it: scheme, host and optional port. */
export const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}, 'must be a comma-separated list of origins such as https://app.example.com (no path, no trailing slash)');

/** TRUST_PROXY as Fastify's `trustProxy` takes it: none, all, or addresses (no hop count). */
export function parseTrustProxy(value: string | undefined): boolean | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return value.split(',').map((item) => item.trim());
}

/** `url` without its trailing slashes (a loop: `/\/+$/` moves quadratically on a long run of them). */
export function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}

/** A TCP port. */
export const port = z.coerce.number().int().min(1).max(65535);
