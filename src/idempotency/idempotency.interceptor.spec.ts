import {
  BadRequestException,
  HttpException,
  HttpStatus,
  type CallHandler,
  type ExecutionContext,
} from '@nestjs/common';
import { lastValueFrom, of, throwError } from 'rxjs';
import type { Principal } from '../auth/owner.js';
import { ALICE, BOB } from '../../test/unit/owners.js';
import { fingerprintOf } from './fingerprint.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import type { Claim, IdempotencyStore, KeyHolder, RecordedAnswer } from './idempotency.store.js';

/** The store's contract in memory (the real one is Redis; see the e2e spec). */
class MemoryStore {
  readonly held = new Map<string, KeyHolder & { claim?: string }>();

  claim(scope: string, fingerprint: string): Promise<Claim | KeyHolder> {
    const held = this.held.get(scope);
    if (held) return Promise.resolve(held);
    this.held.set(scope, { state: 'in-flight', fingerprint, claim: scope });
    return Promise.resolve({ key: scope, value: scope });
  }

  finish(claim: Claim, fingerprint: string, answer: RecordedAnswer): Promise<void> {
    this.held.set(claim.key, { state: 'done', fingerprint, ...answer });
    return Promise.resolve();
  }

  abandon(claim: Claim): Promise<void> {
    this.held.delete(claim.key);
    return Promise.resolve();
  }
}

/** A POST with `body` and `key` (`null`: none), by `principal` (none: a tokenless caller). */
function request(body: unknown, key: string | null = 'k-1', principal?: Principal) {
  const headers: Record<string, string> = {};
  const reply = {
    statusCode: 201,
    header(name: string, value: string) {
      headers[name.toLowerCase()] = value;
      return reply;
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
    code(status: number) {
      reply.statusCode = status;
      return reply;
    },
  };
  const context = {
    switchToHttp: () => ({
      getRequest: () => ({
        method: 'POST',
        url: '/todos?x=1',
        body,
        headers: key === null ? {} : { 'idempotency-key': key },
        principal,
      }),
      getResponse: () => reply,
    }),
  } as unknown as ExecutionContext;
  return { context, reply, headers };
}

/** A handler that counts its runs and answers `result` (or fails with it). */
function handler(result: unknown, fails = false) {
  const next = {
    runs: 0,
    handle: () => {
      next.runs++;
      return fails ? throwError(() => result) : of(result);
    },
  };
  return next as CallHandler & { runs: number };
}

describe('IdempotencyInterceptor', () => {
  let store: MemoryStore;
  let interceptor: IdempotencyInterceptor;
  const run = async (call: ReturnType<typeof request>, next: CallHandler): Promise<unknown> =>
    lastValueFrom(await interceptor.intercept(call.context, next));

  beforeEach(() => {
    store = new MemoryStore();
    interceptor = new IdempotencyInterceptor(store as unknown as IdempotencyStore);
  });

  it('runs a request without a key as it is', async () => {
    const next = handler({ id: 1 });
    expect(await run(request({ content: 'a' }, null), next)).toEqual({ id: 1 });
    expect(store.held.size).toBe(0);
  });

  it('keeps a 2xx and replays it, with Location and the replay header, without running again', async () => {
    const first = request({ content: 'a', n: [1, 2] });
    first.reply.header('location', '/todos/1');
    const next = handler({ id: 1 });
    expect(await run(first, next)).toEqual({ id: 1 });

    const retry = request({ n: [1, 2], content: 'a' }); // the same fields in another order
    expect(await run(retry, next)).toBe('{"id":1}');
    expect(next.runs).toBe(1);
    expect(retry.reply.statusCode).toBe(201);
    expect(retry.headers).toMatchObject({
      location: '/todos/1',
      'idempotent-replayed': 'true',
    });
  });

  it('keeps a 4xx answer, in the error shape', async () => {
    await expect(
      run(request({ content: '' }), handler(new BadRequestException('content is empty'), true)),
    ).rejects.toThrow('content is empty');
    const retry = request({ content: '' });
    expect(JSON.parse((await run(retry, handler('never'))) as string)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'content is empty',
    });
    expect(retry.reply.statusCode).toBe(400);
  });

  it.each([
    ['a 429', new HttpException('slow down', HttpStatus.TOO_MANY_REQUESTS)],
    ['a 503', new HttpException('away', HttpStatus.SERVICE_UNAVAILABLE)],
    ['an unexpected error', new Error('boom')],
  ])('frees the key after %s, so the retry runs', async (_, error) => {
    await expect(run(request({ content: 'a' }), handler(error, true))).rejects.toBe(error);
    expect(store.held.size).toBe(0);
    const next = handler({ id: 2 });
    expect(await run(request({ content: 'a' }), next)).toEqual({ id: 2 });
    expect(next.runs).toBe(1);
  });

  it('refuses another body with the key (422) and a retry while the first runs (409)', async () => {
    await store.claim('anyone POST /todos k-1', 'some other fingerprint');
    await expect(run(request({ content: 'a' }), handler('never'))).rejects.toMatchObject({
      status: 422,
    });
    store.held.clear();
    await store.claim('anyone POST /todos k-1', fingerprintOf({ content: 'a' }));
    const waiting = request({ content: 'a' });
    await expect(run(waiting, handler('never'))).rejects.toMatchObject({ status: 409 });
    expect(waiting.headers['retry-after']).toBe('1');
  });

  it("scopes a key to the caller's account: one owner's key never replays another's answer", async () => {
    const alices = handler({ id: 'alice' });
    const bobs = handler({ id: 'bob' });
    expect(await run(request({ content: 'a' }, 'k-1', ALICE), alices)).toEqual({ id: 'alice' });
    // The same key and body from bob: his own request runs, it is no replay of alice's.
    const bob = request({ content: 'a' }, 'k-1', BOB);
    expect(await run(bob, bobs)).toEqual({ id: 'bob' });
    expect(bob.headers['idempotent-replayed']).toBeUndefined();
    expect([...store.held.keys()].sort()).toEqual([
      `${ALICE.id} POST /todos k-1`,
      `${BOB.id} POST /todos k-1`,
    ]);

    // Each one's retry replays their own answer.
    expect(await run(request({ content: 'a' }, 'k-1', ALICE), alices)).toBe('{"id":"alice"}');
    expect(await run(request({ content: 'a' }, 'k-1', BOB), bobs)).toBe('{"id":"bob"}');
    expect([alices.runs, bobs.runs]).toEqual([1, 1]);
  });

  it("keeps a tokenless caller's keys apart from every account's", async () => {
    await run(request({ content: 'a' }), handler({ id: 1 }));
    const next = handler({ id: 2 });
    expect(await run(request({ content: 'a' }, 'k-1', ALICE), next)).toEqual({ id: 2 });
    expect([...store.held.keys()].sort()).toEqual([
      `${ALICE.id} POST /todos k-1`,
      'anyone POST /todos k-1',
    ]);
  });

  it.each(['', 'x'.repeat(256), 'two words', 'tab\there'])(
    'refuses the key %j (400) before claiming it',
    async (key) => {
      await expect(run(request({ content: 'a' }, key), handler('never'))).rejects.toMatchObject({
        status: 400,
      });
      expect(store.held.size).toBe(0);
    },
  );
});
