import { getModelToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Model } from 'mongoose';
import { createApiApp } from '../../src/app.setup.js';
import { loadConfig } from '../../src/config/configuration.js';
import { ResponseCache } from '../../src/cache/response-cache.service.js';
import { Todo } from '../../src/todos/todo.schema.js';
import {
  adoptDefaultAccount,
  defaultTokenFor,
  forgetDefaultAccount,
  TEST_REGISTRATIONS,
} from './auth.js';
import { startNginx } from './nginx.js';

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface RequestOptions {
  json?: unknown;
  form?: Record<string, string>;
  /** Sent as is, with the given content type. */
  raw?: { body: string; type: string };
  headers?: Record<string, string>;
  /** Aborts the request, e.g. `AbortSignal.timeout(ms)` to bound a wait on a hanging server. */
  signal?: AbortSignal;
  /**
   * The bearer token to send; `null` sends none. By default, the token of the default account
   * of the API at the URL (`adoptDefaultAccount`), if it has one.
   */
  token?: string | null;
}

export interface TestApi {
  app: NestFastifyApplication;
  url: string;
  /** The token of the account requests act as unless they say otherwise. */
  token: string;
  /** That account's id (the token names it). */
  ownerId: string;
  todos: Model<Todo>;
  /** The API's response cache: invalidate it after writing to `todos` directly. */
  cache: ResponseCache;
  /** Empties the collection and invalidates the cached views. */
  reset(): Promise<void>;
  request<T = unknown>(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/** `MONGODB_URI` (or the default) with its database replaced, so each test file has its own. */
export function databaseUri(database: string): string {
  const base = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/todo');
  base.pathname = `/${database}`;
  return base.toString();
}

/** A test's own database, cache key prefix and queue prefix, all named `database`. */
export function isolatedStores(database: string): Record<string, string> {
  return { MONGODB_URI: databaseUri(database), CACHE_KEY_PREFIX: database, QUEUE_PREFIX: database };
}

/**
 * Starts the real API on a free port, on a database, cache key prefix and queue prefix of its
 * own (all named `database`); `close()` drops the database. `env` overrides configuration.
 * With `E2E_VIA_NGINX=1` the suite talks to the API through nginx with the project's config.
 */
export async function startApi(
  database: string,
  env: Record<string, string> = {},
): Promise<TestApi> {
  const config = loadConfig({
    ...process.env,
    ...isolatedStores(database),
    LOG_LEVEL: 'warn',
    // Tests send thousands of requests from one address; the rate-limit test turns it on.
    RATE_LIMIT_MAX: '0',
    REGISTER_MAX_PER_HOUR: TEST_REGISTRATIONS,
    ...env,
  });
  const app = await createApiApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const direct = await app.getUrl();
  const nginx =
    process.env.E2E_VIA_NGINX === '1'
      ? await startNginx({ upstreams: [new URL(direct).host] })
      : undefined;
  const url = nginx?.url ?? direct;
  const todos = app.get<Model<Todo>>(getModelToken(Todo.name));
  const cache = app.get(ResponseCache);
  const reset = async () => {
    await todos.deleteMany({});
    await cache.invalidate();
  };
  await reset();
  const token = await adoptDefaultAccount(database, url, { ...isolatedStores(database), ...env });
  return {
    app,
    url,
    token,
    ownerId: token.slice('tdo_s_'.length, 'tdo_s_'.length + 24),
    todos,
    cache,
    reset,
    request: (method, path, options) => send(url, method, path, options),
    async close() {
      forgetDefaultAccount(database, url);
      await todos.db.dropDatabase();
      await nginx?.stop();
      await app.close();
    },
  };
}

/**
 * `startApi` for a whole describe block: started before its tests, closed after them, and
 * with `resetEach` emptied before each. The object stands for the running API from then on.
 */
export function useApi(
  database: string,
  { env = {}, resetEach = false }: { env?: Record<string, string>; resetEach?: boolean } = {},
): TestApi {
  let current: TestApi | undefined;
  beforeAll(async () => {
    current = await startApi(database, env);
  });
  if (resetEach) beforeEach(() => running().reset());
  afterAll(async () => {
    await current?.close();
  });
  const running = () => {
    if (!current) throw new Error(`the API of ${database} is not running here`);
    return current;
  };
  return new Proxy({} as TestApi, { get: (_, name) => Reflect.get(running(), name) as unknown });
}

export async function send<T>(
  url: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? defaultTokenFor(url) : options.token;
  if (token !== null && token !== undefined && headers.authorization === undefined) {
    headers.authorization = `Bearer ${token}`;
  }
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.raw !== undefined) {
    headers['content-type'] = options.raw.type;
    body = options.raw.body;
  }
  const response = await fetch(url + path, { method, headers, body, signal: options.signal });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('json') && text.length > 0;
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: (isJson ? JSON.parse(text) : text) as T,
  };
}

/** Asserts an error response in the service's one error shape. */
export function expectError(response: ApiResponse<unknown>, status: number): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: {
      statusCode: status,
      error: expect.any(String) as unknown,
      message: expect.anything() as unknown,
    },
  });
  expect(response.text).not.toMatch(/\bat \S+ \(|node_modules|Mongo(Server)?Error/);
}
