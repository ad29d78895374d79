import { createHmac } from 'node:crypto';
import { DEVELOPMENT_CURSOR_SECRET } from '../../src/config/secrets.js';

/**
 * A page cursor for `ownerId` signed as the service signs one, with the public development
 * secret: what anyone can forge against an API left on that default. Written here apart
 * from `PageCursorCodec` on purpose, so the specs that forge cursors (the codec's unit spec
 * and the e2e one against a running API) do not trust the code they attack to build them.
 */
export function forgedCursor(ownerId: string, payload: string): string {
  const signature = createHmac('sha256', DEVELOPMENT_CURSOR_SECRET)
    .update(`${ownerId}\n${payload}`)
    .digest()
    .subarray(0, 16);
  return `${Buffer.from(payload).toString('base64url')}.${signature.toString('base64url')}`;
}
