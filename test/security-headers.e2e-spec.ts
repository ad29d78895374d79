import type { TodoDto } from '../src/todos/dto/todo.dto.js';
import { startApi, type ApiResponse, type TestApi } from './support/api.js';

const ALLOWED = 'https://app.example.com';
const ALSO_ALLOWED = 'http://localhost:5173';
const REFUSED = 'https://evil.example.com';

/** The headers helmet adds, as configured for the API and its docs. */
function expectSecurityHeaders(response: ApiResponse<unknown>): void {
  const header = (name: string) => response.headers.get(name);
  const csp = header('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('upgrade-insecure-requests');
  expect({
    'x-content-type-options': header('x-content-type-options'),
    'x-frame-options': header('x-frame-options'),
    'strict-transport-security': header('strict-transport-security'),
    'referrer-policy': header('referrer-policy'),
    'cross-origin-opener-policy': header('cross-origin-opener-policy'),
    'cross-origin-resource-policy': header('cross-origin-resource-policy'),
    'x-dns-prefetch-control': header('x-dns-prefetch-control'),
    'x-powered-by': header('x-powered-by'),
  }).toEqual({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'strict-transport-security': 'max-age=31536000',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'x-dns-prefetch-control': 'off',
    'x-powered-by': null,
  });
}

/** A comma-separated header as a list, whatever spacing the server uses. */
const list = (value: string | null) => value?.split(/\s*,\s*/) ?? null;

const preflight = (api: TestApi, origin: string, method = 'PATCH') =>
  api.request('OPTIONS', '/todos/6650f1c2a1b2c3d4e5f60718', {
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'content-type',
    },
  });

describe('security headers and CORS (e2e)', () => {
  describe('by default (CORS closed)', () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startApi('todo_e2e_security_closed', { CORS_ORIGINS: '' });
    });
    afterAll(async () => {
      await api.close();
    });

    it('sends the security headers on successes, errors, cache hits and the docs', async () => {
      const created = await api.request<TodoDto>('POST', '/todos', { json: { content: 'a' } });
      expect(created.status).toBe(201);
      const miss = await api.request('GET', '/todos');
      const hit = await api.request('GET', '/todos');
      expect([miss.headers.get('x-cache'), hit.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
      const responses = [
        created,
        miss,
        hit,
        await api.request('GET', `/todos/${created.body.id}`),
        await api.request('GET', '/todos?limit=0'),
        await api.request('GET', '/nope'),
        // Answered by Fastify's router before any hook: a malformed URL, an over-long id.
        await api.request('GET', '/todos/%E0%A4%A'),
        await api.request('GET', `/todos/${'a'.repeat(200)}`),
        await api.request('POST', '/todos', { json: { content: 'x'.repeat(70_000) } }),
        await api.request('GET', '/docs'),
        await api.request('GET', '/docs-json'),
        await api.request('GET', '/health/live'),
      ];
      expect(responses.map((r) => r.status)).toEqual([
        201, 200, 200, 200, 400, 404, 400, 400, 413, 200, 200, 200,
      ]);
      responses.forEach(expectSecurityHeaders);
    });

    it('gives no origin a CORS header, and refuses preflights', async () => {
      const read = await api.request('GET', '/todos', { headers: { origin: ALLOWED } });
      expect(read.status).toBe(200);
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
      // Answered as a plain OPTIONS (204 with Allow): without CORS headers the browser blocks.
      const response = await preflight(api, ALLOWED);
      expect(response.status).toBe(204);
      expect(response.headers.get('allow')).toBe('GET, HEAD, PATCH, DELETE, OPTIONS');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
    });
  });

  describe('with CORS_ORIGINS', () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startApi('todo_e2e_security_cors', {
        CORS_ORIGINS: ` ${ALLOWED}, ${ALSO_ALLOWED} `,
      });
    });
    afterAll(async () => {
      await api.close();
    });

    it.each([
      [ALLOWED, ALLOWED],
      [ALSO_ALLOWED, ALSO_ALLOWED],
    ])('lets %s read responses and their headers', async (origin, expected) => {
      const response = await api.request('POST', '/todos', {
        json: { content: 'from a browser' },
        headers: { origin },
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('access-control-allow-origin')).toBe(expected);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/\borigin\b/i);
      expect(list(response.headers.get('access-control-expose-headers'))).toEqual([
        'ETag',
        'Location',
        'Retry-After',
        'X-Request-Id',
        'X-Cache',
        'Idempotent-Replayed',
        'Content-Disposition',
      ]);
      expectSecurityHeaders(response);
    });

    it('varies a cached answer on the origin and on the token, hit or miss', async () => {
      for (const expected of ['MISS', 'HIT']) {
        const response = await api.request('GET', '/todos?limit=3', {
          headers: { origin: ALLOWED },
        });
        expect(response.headers.get('x-cache')).toBe(expected);
        expect(list(response.headers.get('vary'))?.map((name) => name.toLowerCase())).toEqual([
          'origin',
          'authorization',
        ]);
      }
    });

    it('answers an allowed preflight with the methods and headers it may use', async () => {
      const response = await preflight(api, ALLOWED);
      expect(response.status).toBe(204);
      expect({
        origin: response.headers.get('access-control-allow-origin'),
        methods: list(response.headers.get('access-control-allow-methods')),
        headers: list(response.headers.get('access-control-allow-headers')),
        maxAge: response.headers.get('access-control-max-age'),
        credentials: response.headers.get('access-control-allow-credentials'),
      }).toEqual({
        origin: ALLOWED,
        methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
        headers: [
          'Authorization',
          'Content-Type',
          'Idempotency-Key',
          'If-Match',
          'If-None-Match',
          'X-Request-Id',
        ],
        maxAge: '600',
        credentials: null,
      });
    });

    it.each([
      [REFUSED, 'another site'],
      ['https://app.example.com.evil.example.com', 'a suffix trick'],
      ['http://app.example.com', 'the allowed host over another scheme'],
      ['null', 'an opaque origin'],
    ])('gives %s (%s) no CORS header, on reads and preflights', async (origin) => {
      const read = await api.request('GET', '/todos', { headers: { origin } });
      expect(read.status).toBe(200);
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
      const response = await preflight(api, origin, 'DELETE');
      expect(response.status).toBe(204); // a plain OPTIONS: Allow, no CORS header
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
    });
  });
});
