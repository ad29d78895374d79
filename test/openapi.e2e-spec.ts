import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { format, resolveConfig } from 'prettier';
import { useApi } from './support/api.js';

const DATABASE = 'todo_e2e_openapi';
const COMMITTED_DOCUMENT = 'docs/openapi.json';
const COMMITTED_TYPES = 'test/client/schema.d.ts';
const REGENERATE = 'run `npm run openapi` and commit what it writes';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

/** Every operation of the document as `METHOD /path` with the operation. */
const operationsOf = (document: OpenAPIObject) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    (['get', 'put', 'post', 'delete', 'patch'] as const)
      .filter((method) => item[method] !== undefined)
      .map((method) => ({
        name: `${method.toUpperCase()} ${path}`,
        op: item[method] as Operation,
      })),
  );

/** Every value of the tree with the JSON pointer-like path it sits at. */
function* nodes(value: Json, at: string[] = []): Generator<[string[], Json]> {
  yield [at, value];
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) yield* nodes(child, [...at, key]);
  }
}

/** The document as clients generate code from it (`/docs-json`), checked for what they need. */
describe('the OpenAPI document (e2e)', () => {
  const api = useApi(DATABASE);
  let document: OpenAPIObject;
  let tree: Json;

  beforeAll(async () => {
    const served = await api.request<OpenAPIObject>('GET', '/docs-json');
    expect(served.status).toBe(200);
    document = served.body;
    tree = served.body as unknown as Json;
  });

  it('names the address it was fetched from as its server', () => {
    expect(document.servers).toEqual([{ url: api.url }]);
  });

  it(`is ${COMMITTED_DOCUMENT}, and the generated client types are ${COMMITTED_TYPES}`, async () => {
    const committed = JSON.parse(readFileSync(COMMITTED_DOCUMENT, 'utf8')) as OpenAPIObject;
    expect(committed.servers).toEqual([{ url: 'http://localhost:3000' }]);
    expect({ ...document, servers: [] }).toEqual({ ...committed, servers: [] });
    // openapi-typescript, run as `npm run openapi` runs it, gives the committed types.
    const out = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'schema.d.ts');
    execFileSync('node_modules/.bin/openapi-typescript', [COMMITTED_DOCUMENT, '--output', out], {
      stdio: 'pipe',
    });
    const options = { ...(await resolveConfig(COMMITTED_TYPES)), filepath: COMMITTED_TYPES };
    const generated = await format(readFileSync(out, 'utf8'), options);
    expect(generated === readFileSync(COMMITTED_TYPES, 'utf8') ? 'same' : REGENERATE).toBe('same');
  });

  it('gives every operation a unique operationId that reads as a method name', () => {
    const ids = operationsOf(document).map(({ op }) => op.operationId);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z]+$/.test(id ?? ''))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(['listTodos', 'createTodo', 'getTodo', 'downloadExport', 'login']),
    );
  });

  it('names every object schema: none is inline, and every $ref resolves', () => {
    const schemas = document.components?.schemas ?? {};
    const inline = [...nodes(tree)]
      .filter(([at, node]) => {
        if (node === null || typeof node !== 'object' || Array.isArray(node)) return false;
        if (!('properties' in node)) return false;
        // A component's own schema is named; everything else with properties is inline.
        return !(at.length === 3 && at[0] === 'components' && at[1] === 'schemas');
      })
      .map(([at]) => at.join('/'));
    expect(inline).toEqual([]);
    const refs = [...nodes(tree)]
      .filter(([at]) => at.at(-1) === '$ref')
      .map(([, ref]) => (typeof ref === 'string' ? ref : JSON.stringify(ref)));
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((ref) => !(ref.replace('#/components/schemas/', '') in schemas))).toEqual(
      [],
    );
    // Names a person would choose, not the classes' `…Dto`.
    expect(Object.keys(schemas).filter((name) => name.endsWith('Dto'))).toEqual([]);
  });

  it('closes every request body the server closes, and only those', () => {
    const schemas = document.components?.schemas ?? {};
    const bodies = operationsOf(document).flatMap(({ name, op }) =>
      Object.entries(
        (op.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> })?.content ??
          {},
      ).map(([type, media]) => {
        const schema = media.schema?.$ref?.replace('#/components/schemas/', '') ?? 'inline';
        const closed = (schemas[schema] as { additionalProperties?: unknown } | undefined)
          ?.additionalProperties;
        return `${name} ${type} ${schema} ${closed === false ? 'closed' : 'open'}`;
      }),
    );
    expect(bodies.sort()).toEqual([
      'PATCH /todos/{id} application/json TodoChanges closed',
      'POST /auth/login application/json Credentials closed',
      'POST /auth/register application/json Credentials closed',
      'POST /me/password application/json PasswordChange closed',
      'POST /me/tokens application/json NewToken closed',
      'POST /todo application/x-www-form-urlencoded OriginalTodoForm open',
      'POST /todos application/json NewTodo closed',
      'POST /todos application/x-www-form-urlencoded NewTodo closed',
      'POST /todos/exports application/json NewExport closed',
    ]);
  });

  it('gives every response header a schema, and the headers every response carries', () => {
    const problems: string[] = [];
    const located: string[] = [];
    for (const { name, op } of operationsOf(document)) {
      for (const [status, response] of Object.entries(op.responses)) {
        const headers = (response as { headers?: Record<string, { schema?: object }> }).headers;
        const where = `${name} ${status}`;
        for (const [header, declared] of Object.entries(headers ?? {})) {
          if (!declared.schema) problems.push(`${where}: ${header} has no schema`);
        }
        if (!headers?.['X-Request-Id']) problems.push(`${where}: no X-Request-Id`);
        if (status === '503' && !headers?.['Retry-After'])
          problems.push(`${where}: no Retry-After`);
        if (headers?.Location) located.push(where);
      }
    }
    expect(problems).toEqual([]);
    // The created todo, and the accepted export's job (the other creates have no URL to give).
    expect(located.sort()).toEqual(['POST /todos 201', 'POST /todos/exports 202']);
    const get = document.paths['/todos/{id}'].get as Operation;
    expect(Object.keys((get.responses['200'] as { headers: object }).headers).sort()).toEqual([
      'ETag',
      'X-Cache',
      'X-Request-Id',
    ]);
  });

  it('documents the cursor form, path parameters as 400s not 414s, and plain summaries', () => {
    const list = document.paths['/todos'].get as Operation;
    const cursor = list.parameters?.find((p) => 'name' in p && p.name === 'cursor') as {
      schema: { pattern: string };
    };
    expect(cursor.schema.pattern).toBe('^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$');
    const statuses = operationsOf(document).flatMap(({ op }) => Object.keys(op.responses));
    expect(statuses).not.toContain('414');
    expect(statuses).not.toContain('406');
    // Swagger UI shows a summary as plain text: a backtick would show as one.
    const summaries = operationsOf(document).map(({ op }) => op.summary ?? '');
    expect(summaries.filter((summary) => summary === '' || summary.includes('`'))).toEqual([]);
  });

  it('marks exactly the public operations as taking no credentials', () => {
    const open = operationsOf(document)
      .filter(({ op }) => op.security?.length === 0)
      .map(({ name }) => name);
    expect(open.sort()).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'GET /metrics',
      'POST /auth/login',
      'POST /auth/register',
    ]);
    expect(operationsOf(document).filter(({ op }) => op.security === undefined)).toEqual([]);
  });

  it('documents the legacy create as the form it takes, and the download as what it sends', async () => {
    const create = document.paths['/todo'].post as Operation;
    expect(Object.keys((create.requestBody as { content: object }).content)).toEqual([
      'application/x-www-form-urlencoded',
    ]);
    // The form is what the route takes: JSON is refused, a form creates.
    const json = await api.request('POST', '/todo', { json: { content: 'as JSON' } });
    expect(json.status).toBe(415);
    const form = await api.request('POST', '/todo', { form: { content: 'as a form' } });
    expect(form.status).toBe(200);
    // A CSV file is bytes; a JSON one is an array of todos, which a client (or a fuzzer
    // checking responses) finds in the body.
    const download = document.paths['/todos/exports/{id}/download'].get as Operation;
    expect((download.responses['200'] as { content: object }).content).toEqual({
      'text/csv': { schema: { type: 'string', format: 'binary' } },
      'application/json': {
        schema: { type: 'array', items: { $ref: '#/components/schemas/Todo' } },
      },
    });
    expect(Object.keys(download.responses)).toContain('410');
    const request = document.paths['/todos/exports'].post as Operation;
    expect(Object.keys(request.responses)).toEqual(expect.arrayContaining(['409', '429']));
  });
});
