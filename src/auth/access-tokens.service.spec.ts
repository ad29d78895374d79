import { ServiceUnavailableException } from '@nestjs/common';
import { Types } from 'mongoose';
import type { ResponseCache } from '../cache/response-cache.service.js';
import { ALICE } from '../../test/unit/owners.js';
import { strictFake } from '../../test/unit/strict-fake.js';
import { AccessTokens } from './access-tokens.service.js';
import { SESSION_ENTRY_MS } from './authenticator.js';
import type { EndingCredential } from './credential-filters.js';
import type { SessionsRepository } from './sessions.repository.js';

const untold = (hash: string, endedMsAgo: number): EndingCredential => ({
  _id: new Types.ObjectId(),
  token_hash: hash,
  ended_at: new Date(Date.now() - endedMsAgo),
});

function setup(ending: EndingCredential[], blocked: boolean) {
  const sessions = strictFake<SessionsRepository>('sessions', {
    markEnded: () => Promise.resolve(1),
    wasEnded: () => Promise.resolve(false),
    untold: () => Promise.resolve(ending),
    markTold: () => Promise.resolve(),
    hashesOwnedBy: () => Promise.resolve(['a', 'b']),
    removeOwnedBy: () => Promise.resolve(),
  });
  const cache = strictFake<ResponseCache>('cache', { blockSide: () => Promise.resolve(blocked) });
  return { tokens: new AccessTokens(sessions, cache), sessions, cache };
}

describe('AccessTokens: an end is told to every process, or the request is a 503', () => {
  it('records the end, blocks the Redis entries of every untold end of the account, records them told', async () => {
    const ends = [untold('mine', 0), untold('an earlier one', 1_000)];
    const { tokens, sessions, cache } = setup(ends, true);
    await tokens.endWhere({ ownerId: ALICE.id, hash: 'mine' });
    expect(sessions.calls.map((call) => call.method)).toEqual(['markEnded', 'untold', 'markTold']);
    expect(sessions.mocks.markEnded).toHaveBeenCalledWith({ ownerId: ALICE.id, hash: 'mine' });
    expect(cache.mocks.blockSide).toHaveBeenCalledWith(
      ['session:mine', 'session:an earlier one'],
      5 * SESSION_ENTRY_MS,
    );
    expect(sessions.mocks.markTold).toHaveBeenCalledWith(ends.map((end) => end._id));
  });

  it('is a 503 when Redis cannot be told, the end standing in MongoDB and not recorded told', async () => {
    const { tokens, sessions } = setup([untold('mine', 0)], false);
    await expect(tokens.endWhere({ ownerId: ALICE.id, hash: 'mine' })).rejects.toBeInstanceOf(
      ServiceUnavailableException,
    );
    expect(sessions.mocks.markEnded).toHaveBeenCalled();
    expect(sessions.mocks.markTold).toHaveBeenCalledWith([]);
  });

  it('takes an end older than any Redis entry lives as told, without Redis', async () => {
    const old = untold('old', 2 * SESSION_ENTRY_MS + 1_000);
    const { tokens, sessions } = setup([old], false);
    await tokens.endWhere({ ownerId: ALICE.id, hash: 'old' });
    expect(sessions.mocks.markTold).toHaveBeenCalledWith([old._id]);
  });

  it('ending by id: false (a 404) when the account has no such credential, ended or not', async () => {
    const { tokens, sessions, cache } = setup([], true);
    sessions.mocks.markEnded.mockImplementation(() => Promise.resolve(0));
    expect(await tokens.end(ALICE.id, 'token', 'a'.repeat(24))).toBe(false);
    expect(sessions.mocks.untold).not.toHaveBeenCalled();
    expect(cache.mocks.blockSide).not.toHaveBeenCalled();
  });

  it('ending by id again, once ended by a request: true, telling what is untold (the retry of a 503)', async () => {
    const { tokens, sessions } = setup([untold('retried', 0)], true);
    sessions.mocks.markEnded.mockImplementation(() => Promise.resolve(0));
    sessions.mocks.wasEnded.mockImplementation(() => Promise.resolve(true));
    expect(await tokens.end(ALICE.id, 'token', 'a'.repeat(24))).toBe(true);
    expect(sessions.mocks.markTold).toHaveBeenCalledTimes(1);
  });

  it('endAll ends the credentials in MongoDB, blocks them, and only then deletes them', async () => {
    const { tokens, sessions, cache } = setup([], true);
    expect(await tokens.endAll(ALICE.id, { kind: 'token' })).toBe(2);
    expect(sessions.calls.map((call) => call.method)).toEqual([
      'markEnded',
      'hashesOwnedBy',
      'removeOwnedBy',
    ]);
    expect(sessions.mocks.markEnded).toHaveBeenCalledWith({ ownerId: ALICE.id, kind: 'token' });
    expect(cache.mocks.blockSide).toHaveBeenCalledWith(
      ['session:a', 'session:b'],
      5 * SESSION_ENTRY_MS,
    );
  });

  it('endAll is a 503 that deletes nothing when Redis cannot be told: the retry finds them all', async () => {
    const { tokens, sessions } = setup([], false);
    await expect(tokens.endAll(ALICE.id)).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(sessions.mocks.markEnded).toHaveBeenCalled();
    expect(sessions.mocks.removeOwnedBy).not.toHaveBeenCalled();
  });
});
