import { createHmac } from 'node:crypto';
import type { AppConfig } from '../config/configuration.js';
import { PageCursorCodec } from './page-cursor.js';

const SECRET = 'a-secret-of-sixteen-plus';
const codec = (secret = SECRET) => new PageCursorCodec({ cursorSecret: secret } as AppConfig);

/** Two accounts' ids. */
const ALICE = '64a000000000000000000001';
const BOB = '64b000000000000000000002';

/** A cursor with `payload`, signed as the codec signs one for `ownerId`. */
const signed = (ownerId: string, payload: string) => {
  const signature = createHmac('sha256', SECRET)
    .update(`${ownerId}\n${payload}`)
    .digest()
    .subarray(0, 16);
  return `${Buffer.from(payload).toString('base64url')}.${signature.toString('base64url')}`;
};

describe('PageCursorCodec', () => {
  const position = {
    createdAt: new Date('2026-11-27T10:00:00.123Z'),
    id: '6650f1c2a1b2c3d4e5f60718',
  };

  it('round-trips a position', () => {
    expect(codec().decode(ALICE, codec().encode(ALICE, position))).toEqual(position);
  });

  it('keeps the BSON type of the position (a float of epoch seconds stays a number)', () => {
    const original = { createdAt: 1_764_237_600.5, id: position.id };
    expect(codec().decode(ALICE, codec().encode(ALICE, original))).toEqual(original);
  });

  it('refuses a cursor encoded for another owner', () => {
    const cursor = codec().encode(ALICE, position);
    expect(codec().decode(BOB, cursor)).toBeUndefined();
    expect(codec().decode(ALICE, cursor)).toEqual(position);
    // The same position gives each owner a different cursor.
    expect(codec().encode(BOB, position)).not.toBe(cursor);
  });

  it('refuses a cursor signed with another secret', () => {
    expect(
      codec('another-secret-sixteen+').decode(ALICE, codec().encode(ALICE, position)),
    ).toBeUndefined();
  });

  it('refuses a cursor whose payload was changed', () => {
    const [, signature] = codec().encode(ALICE, position).split('.');
    const forged = Buffer.from(`${Date.now()}.${position.id}`).toString('base64url');
    expect(codec().decode(ALICE, `${forged}.${signature}`)).toBeUndefined();
  });

  it('no longer accepts the epoch-millisecond payload, even correctly signed', () => {
    const cursor = signed(ALICE, `${position.createdAt.getTime()}.${position.id}`);
    expect(codec().decode(ALICE, cursor)).toBeUndefined();
    // The helper signs as the codec does: a current payload it signs is accepted.
    const current = signed(ALICE, `[{"$date":"2026-11-27T10:00:00.123Z"},"${position.id}"]`);
    expect(codec().decode(ALICE, current)).toEqual(position);
  });

  // A known secret lets anyone sign: what a signed cursor carries must still be a value.
  it.each([
    ['an operator', '{"$gt":""}'],
    ['another operator', '{"$ne":null}'],
    ['an operator inside an object', '{"at":{"$where":"sleep(1000)"}}'],
    ['an operator inside an array', '[1,{"$exists":true}]'],
    ['a regex (a pattern match, not a value)', '{"$regex":"^(a+)+$","$options":""}'],
    ['code', '{"$code":"while(true){}"}'],
    ['an invalid date', '{"$date":{"$numberLong":"99999999999999999"}}'],
    ['a nesting deeper than any document', '[[[[[1]]]]]'],
  ])('refuses a correctly signed cursor whose created_at is %s', (_what, createdAt) => {
    expect(codec().decode(ALICE, signed(ALICE, `[${createdAt},"${position.id}"]`))).toBeUndefined();
    // The same cursor with a plain value is taken: only the value is refused.
    expect(codec().decode(ALICE, signed(ALICE, `[1764237600.5,"${position.id}"]`))).toEqual({
      createdAt: 1764237600.5,
      id: position.id,
    });
  });

  it('refuses a correctly signed cursor whose id is an operator', () => {
    expect(codec().decode(ALICE, signed(ALICE, '[1,{"$gt":""}]'))).toBeUndefined();
  });

  it.each([
    ['a string', '"2026-11-27T10:00:00Z"', '2026-11-27T10:00:00Z'],
    ['a boolean', 'true', true],
    ['null', 'null', null],
    ['an object of plain values', '{"at":"no"}', { at: 'no' }],
  ])('takes %s, as another writer may have stored it', (_what, createdAt, decoded) => {
    const cursor = signed(ALICE, `[${createdAt},"${position.id}"]`);
    expect(codec().decode(ALICE, cursor)).toEqual({ createdAt: decoded, id: position.id });
  });

  it.each(['', 'abc', 'a.b', 'a.b.c', '..', '%%%.%%%'])('refuses garbage %p', (garbage) => {
    expect(codec().decode(ALICE, garbage)).toBeUndefined();
  });
});
