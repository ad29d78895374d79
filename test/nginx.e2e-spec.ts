import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { TodoPageDto } from '../src/todos/dto/todo.dto.js';
import { expectError, send, startApi, type TestApi } from './support/api.js';
import { bearer, defaultTokenFor } from './support/auth.js';
import { startNginx, type TestNginx } from './support/nginx.js';
import { spawnApi, type SpawnedApi } from './support/spawned-api.js';
import { until } from './support/wait.js';

const DATABASE = 'todo_e2e_nginx';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request from a chosen loopback address, to tell the client apart from nginx. */
function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; from?: string },
): Promise<RawResponse> {
  // As the account of the APIs behind nginx, as `send` does.
  const token = defaultTokenFor(new URL(url).origin);
  const headers = { ...(token ? bearer(token) : {}), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers, localAddress: options.from },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The API's one-line-per-request log entries, from its output. */
function requestLines(api: SpawnedApi): Array<Record<string, unknown>> {
  return api.process
    .output()
    .split('\n')
    .filter((line) => line.includes('"req_id"') && line.includes('"status"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('nginx in front of two API processes (e2e, Debian nginx, project config)', () => {
  let seeder: TestApi;
  let apis: SpawnedApi[];
  let nginx: TestNginx;
  const upstreams = (of = apis) => of.map((api) => new URL(api.url).host);
  /** nginx in front of the same APIs with a tight limit: 1 request/s, a burst of 5. */
  const startLimitedNginx = () =>
    startNginx({ upstreams: upstreams(), rateLimit: '1r/s', burst: 5 });
  // Trust nginx (loopback 127.0.0.1) to say who the client is.
  const env = { LOG_LEVEL: 'info', TRUST_PROXY: '127.0.0.1' };

  beforeAll(async () => {
    seeder = await startApi(DATABASE);
    for (let i = 0; i < 40; i += 1) {
      await seeder.request('POST', '/todos', { json: { content: `todo number ${i} `.repeat(4) } });
    }
    apis = await Promise.all([spawnApi(DATABASE, env), spawnApi(DATABASE, env)]);
    nginx = await startNginx({ upstreams: upstreams() });
  });
  afterAll(async () => {
    await nginx?.stop();
    await Promise.all((apis ?? []).map((api) => api.stop()));
    await seeder?.close();
  });

  it('spreads requests over both processes', async () => {
    for (let i = 0; i < 20; i += 1) {
      expect((await send(nginx.url, 'GET', '/todos')).status).toBe(200);
    }
    // Each process logs a request once its response is sent: give the last lines a moment.
    const count = () =>
      apis.map((api) => requestLines(api).filter((line) => line.route === '/todos').length);
    await until(count, ([a, b]) => a + b >= 20, {
      timeoutMs: 2_000,
      intervalMs: 50,
      message: '20 requests logged',
    });
    const served = count();
    expect(served.every((n) => n > 0)).toBe(true);
    expect(served[0] + served[1]).toBeGreaterThanOrEqual(20);
  });

  it('passes the client address and nginx request id on; keeps a well-formed client id', async () => {
    const made = await rawRequest(`${nginx.url}/todos?limit=1`, { from: '127.0.0.2' });
    expect(made.status).toBe(200);
    const madeId = String(made.headers['x-request-id']);
    expect(madeId).toMatch(/^[0-9a-f]{32}$/); // nginx's $request_id

    const kept = await rawRequest(`${nginx.url}/todos?limit=2`, {
      from: '127.0.0.2',
      headers: { 'x-request-id': 'client-chosen-id.42' },
    });
    expect(kept.headers['x-request-id']).toBe('client-chosen-id.42');

    const forged = await rawRequest(`${nginx.url}/todos?limit=3`, {
      from: '127.0.0.2',
      headers: { 'x-request-id': 'not a valid id' },
    });
    expect(String(forged.headers['x-request-id'])).toMatch(/^[0-9a-f]{32}$/);

    // The API logged each request under nginx's id and with the client's address, not nginx's.
    const lines = apis.flatMap(requestLines);
    for (const id of [madeId, 'client-chosen-id.42']) {
      expect(lines.find((line) => line.req_id === id)).toMatchObject({ remote: '127.0.0.2' });
    }
    // And nginx's access log carries the same id.
    expect(nginx.accessLog()).toContain(`"request_id":"${madeId}"`);
  });

  it("names nginx's address, the one clients call, as the OpenAPI document's server", async () => {
    const document = await send<{ servers: { url: string }[] }>(nginx.url, 'GET', '/docs-json');
    expect(document.body.servers).toEqual([{ url: nginx.url }]);
    // Not a forwarded host of the client's own: nginx sends the Host it was asked for.
    const spoofed = await send<{ servers: { url: string }[] }>(nginx.url, 'GET', '/docs-json', {
      headers: { 'x-forwarded-host': 'evil.example.com' },
    });
    expect(spoofed.body.servers).toEqual([{ url: nginx.url }]);
  });

  it('refuses a 100 KiB body itself with 413 in the API error shape, and nothing is written', async () => {
    const before = await seeder.todos.countDocuments();
    const response = await send(nginx.url, 'POST', '/todos', {
      json: { content: 'x'.repeat(100 * 1024) },
    });
    expectError(response, 413);
    expect(await seeder.todos.countDocuments()).toBe(before);
    const posts = apis.flatMap(requestLines).filter((line) => line.method === 'POST');
    expect(posts).toEqual([]); // refused before any API process saw it
  });

  it('gzips JSON lists for clients that accept it', async () => {
    const response = await rawRequest(`${nginx.url}/todos?limit=40`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    const page = JSON.parse(gunzipSync(response.body).toString()) as TodoPageDto;
    expect(page.items).toHaveLength(40);
  });

  it('keeps health probes out of the access log and does not rate limit them', async () => {
    const limited = await startLimitedNginx();
    try {
      const burst = () =>
        Promise.all(Array.from({ length: 30 }, () => send(limited.url, 'GET', '/health/ready')));
      // Readiness may be a 503 for a moment on a loaded machine (a store slower than its 800 ms
      // check, whose result the probes of the next second share): the burst is sent again
      // until readiness answers; a limit's 429 ends the wait and fails the check below.
      const probes = await until(burst, (all) => all.every((probe) => probe.status !== 503), {
        timeoutMs: 10_000,
        intervalMs: 200,
        message: 'readiness answering',
      });
      expect(probes.map((probe) => probe.status)).toEqual(Array(30).fill(200));
      expect(limited.accessLog()).not.toContain('/health/');
    } finally {
      await limited.stop();
    }
  });

  it('answers 429 with Retry-After past the limit_req burst', async () => {
    const limited = await startLimitedNginx();
    try {
      const responses = await Promise.all(
        Array.from({ length: 30 }, () => send(limited.url, 'GET', '/todos?limit=1')),
      );
      const statuses = responses.map((response) => response.status);
      // The first plus the burst get through; the rest are refused at once.
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(6);
      expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(7);
      const refused = responses.filter((response) => response.status === 429);
      expect(refused.length).toBe(30 - statuses.filter((status) => status === 200).length);
      expectError(refused[0], 429);
      expect(refused[0].headers.get('retry-after')).toBe('1');
      expect(limited.accessLog()).toContain('"status":429');
    } finally {
      await limited.stop();
    }
  });

  it('hides /metrics from the public', async () => {
    expect((await send(nginx.url, 'GET', '/metrics')).status).toBe(404);
  });

  it('keeps serving when one process dies, and answers 503 JSON when all are gone', async () => {
    // Processes and an nginx of its own to kill, so the other tests keep theirs.
    const doomed = await Promise.all([spawnApi(DATABASE, env), spawnApi(DATABASE, env)]);
    const front = await startNginx({ upstreams: upstreams(doomed) });
    try {
      doomed[0].process.child.kill('SIGKILL');
      await doomed[0].process.exited;
      const statuses = [];
      for (let i = 0; i < 10; i += 1)
        statuses.push((await send(front.url, 'GET', '/todos')).status);
      expect(statuses).toEqual(Array(10).fill(200));

      doomed[1].process.child.kill('SIGKILL');
      await doomed[1].process.exited;
      const down = await send(front.url, 'GET', '/todos');
      expectError(down, 503);
      expect(down.headers.get('retry-after')).toBe('5');
    } finally {
      await front.stop();
      await Promise.all(doomed.map((api) => api.stop()));
    }
  });
});
