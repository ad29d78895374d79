import type { AppConfig } from '../config/configuration.js';
import { PageCursorCodec } from './page-cursor.js';

const codec = (secret = 'a-secret-of-sixteen-plus') =>
  new PageCursorCodec({ cursorSecret: secret } as AppConfig);

describe('PageCursorCodec', () => {
  const position = {
    createdAt: new Date('2026-11-27T10:00:00.123Z'),
    id: '6650f1c2a1b2c3d4e5f60718',
  };

  it('round-trips a position', () => {
    expect(codec().decode(codec().encode(position))).toEqual(position);
  });

  it('refuses a cursor signed with another secret', () => {
    expect(codec('another-secret-sixteen+').decode(codec().encode(position))).toBeUndefined();
  });

  it('refuses a cursor whose payload was changed', () => {
    const [, signature] = codec().encode(position).split('.');
    const forged = Buffer.from(`${Date.now()}.${position.id}`).toString('base64url');
    expect(codec().decode(`${forged}.${signature}`)).toBeUndefined();
  });

  it.each(['', 'abc', 'a.b', 'a.b.c', '..', '%%%.%%%'])('refuses garbage %p', (garbage) => {
    expect(codec().decode(garbage)).toBeUndefined();
  });
});
