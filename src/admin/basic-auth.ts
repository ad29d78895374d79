import { timingSafeEqual } from 'node:crypto';

export interface Credentials {
  user: string;
  password: string;
}

const same = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Whether an `Authorization` header carries these Basic credentials (constant-time compare). */
export function hasBasicCredentials(header: string | undefined, credentials: Credentials): boolean {
  const [scheme, encoded] = (header ?? '').split(' ');
  if (scheme !== 'Basic' || !encoded) return false;
  const decoded = Buffer.from(encoded, 'base64').toString();
  const separator = decoded.indexOf(':');
  return (
    separator > 0 &&
    same(decoded.slice(0, separator), credentials.user) &&
    same(decoded.slice(separator + 1), credentials.password)
  );
}
