import { createHash } from 'node:crypto';
import { ALICE, BOB } from '../../test/unit/owners.js';
import { bearerToken, newToken, readToken, tokenHash } from './bearer-token.js';

/** `tdo_s_`, 24 lowercase hex digits of the owner's id, 43 base64url characters. */
const SHAPE = /^tdo_s_([0-9a-f]{24})([A-Za-z0-9_-]{43})$/;
/** A personal access token: `tdo_pat_`, then the same. */
const PAT_SHAPE = /^tdo_pat_([0-9a-f]{24})([A-Za-z0-9_-]{43})$/;

/** A well-formed token of ALICE's with a fixed secret, to vary one part at a time. */
const SECRET = 'q8Xv2c1o4F0y5m3W7n6b9a2s1d4f7g0h3j6k9l2p5o8';
const aliceToken = `tdo_s_${ALICE.id}${SECRET}`;

describe('bearer tokens', () => {
  describe('newToken', () => {
    it('names the owner, then 32 random bytes, and hashes the whole token', () => {
      const { token, hash } = newToken('session', ALICE.id);
      const match = SHAPE.exec(token);
      expect(match).not.toBeNull();
      expect(match![1]).toBe(ALICE.id);
      expect(Buffer.from(match![2], 'base64url')).toHaveLength(32);
      expect(hash).toBe(tokenHash(token));
      expect(hash).toBe(createHash('sha256').update(token).digest('base64url'));
      expect(hash).not.toContain(token);
    });

    it('gives a new secret (and hash) each time, for the same owner', () => {
      const first = newToken('session', ALICE.id);
      const second = newToken('session', ALICE.id);
      expect(second.token).not.toBe(first.token);
      expect(second.hash).not.toBe(first.hash);
    });

    it('reads back as its owner and its hash', () => {
      const { token, hash } = newToken('session', BOB.id);
      expect(readToken(token)).toEqual({ kind: 'session', ownerId: BOB.id, hash });
    });

    it('makes personal access tokens: tdo_pat_, the owner, 32 random bytes', () => {
      const { token, hash } = newToken('token', BOB.id);
      const match = PAT_SHAPE.exec(token);
      expect(match).not.toBeNull();
      expect(match![1]).toBe(BOB.id);
      expect(Buffer.from(match![2], 'base64url')).toHaveLength(32);
      expect(readToken(token)).toEqual({ kind: 'token', ownerId: BOB.id, hash });
    });
  });

  describe('readToken', () => {
    it("returns the owner and the hash of a token of the session's shape", () => {
      expect(readToken(aliceToken)).toEqual({
        kind: 'session',
        ownerId: ALICE.id,
        hash: tokenHash(aliceToken),
      });
    });

    it('hashes the owner id with the secret: another owner in the same token is another hash', () => {
      const forged = aliceToken.replace(ALICE.id, BOB.id);
      expect(readToken(forged)).toEqual({
        kind: 'session',
        ownerId: BOB.id,
        hash: tokenHash(forged),
      });
      expect(tokenHash(forged)).not.toBe(tokenHash(aliceToken));
    });

    it.each([
      ['another prefix', `tdo_x_${ALICE.id}${SECRET}`],
      ['a prefix of neither kind', `tdo_pa_${ALICE.id}${SECRET}`],
      ['an upper-case token prefix', `TDO_PAT_${ALICE.id}${SECRET}`],
      ['a token secret one character short', `tdo_pat_${ALICE.id}${SECRET.slice(1)}`],
      ['no prefix', `${ALICE.id}${SECRET}`],
      ['an upper-case prefix', `TDO_S_${ALICE.id}${SECRET}`],
      ['a secret one character short', `tdo_s_${ALICE.id}${SECRET.slice(1)}`],
      ['a secret one character long', `tdo_s_${ALICE.id}${SECRET}A`],
      ['an owner id one digit short', `tdo_s_${ALICE.id.slice(1)}${SECRET}`],
      ['an owner id that is not hex', `tdo_s_${'g'.repeat(24)}${SECRET}`],
      ['an owner id in upper-case hex', `tdo_s_${ALICE.id.toUpperCase()}${SECRET}`],
      ['base64 (not url) characters', `tdo_s_${ALICE.id}${SECRET.slice(2)}+/`],
      ['padding', `tdo_s_${ALICE.id}${SECRET.slice(1)}=`],
      ['a dot', `tdo_s_${ALICE.id}${SECRET.slice(1)}.`],
      ['a space inside', `tdo_s_${ALICE.id} ${SECRET.slice(1)}`],
      ['a trailing newline', `${aliceToken}\n`],
      ['a leading space', ` ${aliceToken}`],
      ['the prefix alone', 'tdo_s_'],
      ['nothing', ''],
    ])('is undefined for %s', (_case, token) => {
      expect(readToken(token)).toBeUndefined();
    });
  });

  describe('bearerToken', () => {
    it('reads the credentials of "Bearer <token>"', () => {
      expect(bearerToken(`Bearer ${aliceToken}`)).toBe(aliceToken);
      expect(bearerToken('Bearer x')).toBe('x');
    });

    it.each(['bearer', 'BEARER', 'BeArEr'])('takes the scheme in any case: %s', (scheme) => {
      expect(bearerToken(`${scheme} ${aliceToken}`)).toBe(aliceToken);
    });

    it('trims the credentials', () => {
      expect(bearerToken(`Bearer   ${aliceToken} \t`)).toBe(aliceToken);
    });

    it.each([
      ['another scheme', `Basic ${aliceToken}`],
      ['a scheme that only starts with bearer', `Bearerx ${aliceToken}`],
      ['no space after the scheme', `Bearer${aliceToken}`],
      ['the token without a scheme', aliceToken],
      ['the scheme and its space alone', 'Bearer '],
      ['the scheme alone', 'Bearer'],
      ['an empty header', ''],
    ])('refuses %s', (_case, header) => {
      expect(bearerToken(header)).toBeUndefined();
    });

    it('is undefined without a header', () => {
      expect(bearerToken(undefined)).toBeUndefined();
    });
  });
});
