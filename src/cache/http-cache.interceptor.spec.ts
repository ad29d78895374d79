import { BadRequestException, type CallHandler, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { lastValueFrom, of } from 'rxjs';
import { ListTodosQueryDto } from '../todos/dto/list-todos-query.dto.js';
import { ALL_SCOPES } from '../auth/scopes.js';
import type { Principal } from '../auth/owner.js';
import { CACHE_VIEW } from './cache.constants.js';
import { CacheKeyFactory, canonicalQuery } from './cache-key.factory.js';
import type { CacheViewOptions } from './cache-view.options.js';
import { HttpCacheInterceptor } from './http-cache.interceptor.js';
import { createTestCache } from '../../test/unit/response-cache.fakes.js';

const listView: CacheViewOptions = {
  name: 'list',
  query: ListTodosQueryDto,
  defaults: { start: 0 },
};

/** Two callers, as the authentication hook decorates their requests. */
const alice: Principal = {
  id: '64a000000000000000000001',
  holdsOwnerless: false,
  scopes: ALL_SCOPES,
};
const bob: Principal = {
  id: '64b000000000000000000002',
  holdsOwnerless: false,
  scopes: ALL_SCOPES,
};

/**
 * A request context for a handler decorated with `options`, made by `principal` (`null`: no
 * valid token, so no principal), and the reply it writes to.
 */
function fakeContext(
  url: string,
  options: CacheViewOptions = listView,
  principal: Principal | null = alice,
) {
  const handler = () => undefined;
  Reflect.defineMetadata(CACHE_VIEW, options, handler);
  const query = Object.fromEntries(new URL(url, 'http://x').searchParams);
  const headers: Record<string, string> = {};
  const reply = {
    header(name: string, value: string) {
      headers[name] = value;
      return reply;
    },
    getHeader: (name: string) => headers[name],
  };
  const context = {
    getHandler: () => handler,
    switchToHttp: () => ({
      getRequest: () => ({
        method: 'GET',
        routeOptions: { url: '/todos' },
        url,
        query,
        params: {},
        principal: principal ?? undefined,
      }),
      getResponse: () => reply,
    }),
  } as unknown as ExecutionContext;
  return { context, headers };
}

/** A fake route handler that counts its calls. */
function fakeHandler(result: unknown) {
  const handler = { calls: 0, handle: () => (handler.calls++, of(result)) };
  return handler as CallHandler & { calls: number };
}

describe('HttpCacheInterceptor', () => {
  const setup = () => {
    const { responses } = createTestCache();
    return new HttpCacheInterceptor(responses, new CacheKeyFactory(new Reflector()));
  };

  it('serializes the handler result once, then answers the same bytes from the cache', async () => {
    const interceptor = setup();
    const handler = fakeHandler({ items: [{ id: '1' }], next_cursor: null });

    const miss = fakeContext('/todos?limit=5');
    const first = await lastValueFrom(await interceptor.intercept(miss.context, handler));
    expect(first).toBe('{"items":[{"id":"1"}],"next_cursor":null}');
    expect(miss.headers).toMatchObject({
      'cache-control': 'private, no-cache',
      vary: 'Authorization',
      'x-cache': 'MISS',
      'content-type': 'application/json; charset=utf-8',
    });

    const hit = fakeContext('/todos?limit=5');
    expect(await lastValueFrom(await interceptor.intercept(hit.context, handler))).toBe(first);
    expect(hit.headers).toMatchObject({
      'cache-control': 'private, no-cache',
      vary: 'Authorization',
      'x-cache': 'HIT',
      etag: miss.headers.etag,
    });
    expect(handler.calls).toBe(1);
  });

  it("keeps each caller's views apart", async () => {
    const interceptor = setup();
    const forAlice = fakeHandler({ items: [{ id: 'alice' }] });
    const forBob = fakeHandler({ items: [{ id: 'bob' }] });
    const call = async (principal: Principal, handler: CallHandler) => {
      const { context, headers } = fakeContext('/todos', listView, principal);
      const body = await lastValueFrom(await interceptor.intercept(context, handler));
      return { body, cache: headers['x-cache'] };
    };

    expect(await call(alice, forAlice)).toEqual({
      body: '{"items":[{"id":"alice"}]}',
      cache: 'MISS',
    });
    // Same URL, same view name: bob's own load, never alice's entry.
    expect(await call(bob, forBob)).toEqual({ body: '{"items":[{"id":"bob"}]}', cache: 'MISS' });
    expect(await call(alice, forAlice)).toEqual({
      body: '{"items":[{"id":"alice"}]}',
      cache: 'HIT',
    });
    expect(await call(bob, forBob)).toEqual({ body: '{"items":[{"id":"bob"}]}', cache: 'HIT' });
    expect([forAlice.calls, forBob.calls]).toEqual([1, 1]);
  });

  it('passes through uncached, setting no cache headers, without a principal', async () => {
    const interceptor = setup();
    const result = { items: [] };
    const handler = fakeHandler(result);
    for (let i = 0; i < 2; i++) {
      const { context, headers } = fakeContext('/todos', listView, null);
      // The handler's own result, for Nest to serialize: not a cached string.
      expect(await lastValueFrom(await interceptor.intercept(context, handler))).toBe(result);
      expect(headers).toEqual({});
    }
    expect(handler.calls).toBe(2);
  });

  it('shares one entry across parameter order and defaults', async () => {
    const interceptor = setup();
    const handler = fakeHandler({ items: [] });
    for (const url of [
      '/todos',
      '/todos?limit=10',
      '/todos?start=0&limit=10',
      '/todos?limit=10&start=0',
    ]) {
      await lastValueFrom(await interceptor.intercept(fakeContext(url).context, handler));
    }
    expect(handler.calls).toBe(1);
  });

  it('refuses unknown or invalid parameters before the cache sees them', async () => {
    const interceptor = setup();
    const handler = fakeHandler({});
    await expect(
      interceptor.intercept(fakeContext('/todos?sort=x').context, handler),
    ).rejects.toThrow(BadRequestException);
    await expect(
      interceptor.intercept(fakeContext('/todos?limit=0').context, handler),
    ).rejects.toThrow(BadRequestException);
    expect(handler.calls).toBe(0);
  });

  it('keys item views by a validated id', async () => {
    const interceptor = setup();
    const { context } = fakeContext('/todos/zz', { name: 'item', idParam: 'id' });
    await expect(interceptor.intercept(context, fakeHandler({}))).rejects.toThrow(
      BadRequestException,
    );
  });
});

describe('canonicalQuery', () => {
  it('sorts, drops absent and default values, and escapes', () => {
    expect(
      canonicalQuery({ start: 0, limit: 10, cursor: 'a&b', finished: undefined }, { start: 0 }),
    ).toBe('cursor=a%26b&limit=10');
  });
});
