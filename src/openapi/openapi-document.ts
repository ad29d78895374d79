import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { BEARER_SCHEME } from '../auth/access.decorator.js';
import type { AppConfig } from '../config/configuration.js';
import { REQUEST_ID_HEADER, RETRY_AFTER_HEADER } from '../http/response-headers.js';
import { OPEN_BODY_EXTENSION } from './open-body.decorator.js';

// The spec's object types, which @nestjs/swagger does not export by name.
type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Response = Exclude<Operation['responses'][string], { $ref: string } | undefined>;
type MediaSchema = NonNullable<Response['content']>[string]['schema'];
type Headers = NonNullable<Response['headers']>;

/** Where Swagger UI and the document are served. */
const DOCS_PATH = 'docs';
const DOCUMENT_PATH = 'docs-json';

/**
 * The OpenAPI document, as clients generate code from it: Nest's scan of the controllers,
 * then what a scan cannot see, added here once for every operation. Its server is
 * PUBLIC_URL, or this host when no request says otherwise (see `setUpSwagger`).
 */
export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const base = new DocumentBuilder()
    .setTitle('todo-service')
    .setDescription(
      [
        'A todo REST API. Lists are newest first; page by `cursor` (stable under writes) or by `start` (an offset).',
        '',
        'Register (`POST /auth/register`), log in (`POST /auth/login`), then send the token as `Authorization: Bearer <token>` ("Authorize" above). A personal access token (`POST /me/tokens`) works the same way, within its scopes. Every todo, export and job is its owner\'s: another owner\'s is a 404.',
        '',
        '`HEAD` is answered wherever `GET` is; `OPTIONS` answers 204 with `Allow`; a method a path does not serve is a 405 with `Allow`. Cacheable GETs carry an `ETag` (`If-None-Match` gives 304); changes of a todo honour `If-Match` (412); creates take an `Idempotency-Key`.',
      ].join('\n'),
    )
    .setVersion('1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer(config.publicUrl ?? `http://localhost:${config.port}`)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          'A session token from `POST /auth/login`, or a personal access token from `POST /me/tokens`.',
      },
      BEARER_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, base);
  refuseUnknownFields(document);
  declareCommonHeaders(document);
  declarePublicOperations(document);
  return document;
}

/**
 * Serves Swagger UI and the document. The document names the server clients should call:
 * PUBLIC_URL, or else the origin the document was fetched from (behind a trusted proxy, its
 * `X-Forwarded-Proto` and `X-Forwarded-Host`), so a client generated from any address of the
 * API calls that address.
 */
export function setUpSwagger(app: INestApplication, config: AppConfig): void {
  const document = buildOpenApiDocument(app, config);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: DOCUMENT_PATH,
    patchDocumentOnRequest: config.publicUrl
      ? undefined
      : <TRequest>(request: TRequest, _reply: unknown, served: OpenAPIObject) => {
          const { protocol, host } = request as FastifyRequest;
          return { ...served, servers: [{ url: `${protocol}://${host}` }] };
        },
  });
}

/** Marks the schema of every validated request body as closed: `additionalProperties: false`. */
function refuseUnknownFields(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  for (const operation of operationsOf(document)) {
    const marked = operation as Operation & { [OPEN_BODY_EXTENSION]?: boolean };
    const open = marked[OPEN_BODY_EXTENSION] === true;
    delete marked[OPEN_BODY_EXTENSION];
    const body = operation.requestBody;
    if (!body || '$ref' in body || open) continue;
    for (const media of Object.values(body.content)) {
      const name = referencedName(media.schema);
      const schema = name === undefined ? undefined : schemas[name];
      if (name === undefined || !schema || '$ref' in schema) continue;
      schema.additionalProperties = false;
    }
  }
}

/** `X-Request-Id` on every response, and `Retry-After` on every 503 (the exception filter's). */
function declareCommonHeaders(document: OpenAPIObject): void {
  for (const operation of operationsOf(document)) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!response || '$ref' in response) continue;
      const headers: Headers = { ...response.headers };
      Object.assign(headers, REQUEST_ID_HEADER);
      if (status === '503') Object.assign(headers, RETRY_AFTER_HEADER);
      response.headers = headers;
    }
  }
}

/**
 * An operation that names no scheme takes no credentials (`Public()`): `security: []` says
 * so, where leaving it out would read as "not stated" (test/openapi.e2e-spec.ts holds the
 * list of public operations to what the guard lets through).
 */
function declarePublicOperations(document: OpenAPIObject): void {
  for (const operation of operationsOf(document)) operation.security ??= [];
}

function operationsOf(document: OpenAPIObject): Operation[] {
  return Object.values(document.paths).flatMap((item) =>
    (['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const)
      .map((method) => item[method])
      .filter((operation) => operation !== undefined),
  );
}

function referencedName(schema: MediaSchema): string | undefined {
  const ref = schema && '$ref' in schema ? schema.$ref : undefined;
  return ref?.startsWith('#/components/schemas/') ? ref.slice(21) : undefined;
}
