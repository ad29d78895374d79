import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';

/** The position after which the next page starts: the sort key of the last item sent. */
export interface PagePosition {
  createdAt: Date;
  id: string;
}

const PAYLOAD = /^(\d{1,15})\.([0-9a-f]{24})$/;
const SIGNATURE_BYTES = 16;

/**
 * Encodes a page position as an opaque, signed token. The signature lets the API refuse a
 * forged or truncated cursor with a 400 instead of answering some arbitrary page, and any
 * API process can verify a cursor another one issued, as they share the secret.
 */
@Injectable()
export class PageCursorCodec {
  constructor(private readonly config: AppConfig) {}

  encode(position: PagePosition): string {
    const payload = `${position.createdAt.getTime()}.${position.id}`;
    return `${Buffer.from(payload).toString('base64url')}.${this.sign(payload).toString('base64url')}`;
  }

  /** Returns the position, or `undefined` when the cursor is malformed or not ours. */
  decode(cursor: string): PagePosition | undefined {
    const [encodedPayload, encodedSignature, ...rest] = cursor.split('.');
    if (!encodedPayload || !encodedSignature || rest.length > 0) return undefined;
    const payload = Buffer.from(encodedPayload, 'base64url').toString();
    const signature = Buffer.from(encodedSignature, 'base64url');
    const expected = this.sign(payload);
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      return undefined;
    }
    const match = PAYLOAD.exec(payload);
    if (!match) return undefined;
    return { createdAt: new Date(Number(match[1])), id: match[2] };
  }

  private sign(payload: string): Buffer {
    return createHmac('sha256', this.config.cursorSecret)
      .update(payload)
      .digest()
      .subarray(0, SIGNATURE_BYTES);
  }
}
