import 'reflect-metadata';
import { createApiApp } from './app.setup.js';
import { bootOrExit } from './bootstrap.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';

/**
 * `npm run openapi`: writes the OpenAPI document to stdout, as `/docs-json` serves it with
 * PUBLIC_URL as its server (default `http://localhost:3000`). The API's modules are built, so
 * the stores must answer; nothing listens. scripts/openapi.sh keeps docs/openapi.json and the
 * generated client types in test/client/ up to date with it.
 */
await bootOrExit(async (config) => {
  const app = await createApiApp({ ...config, logLevel: 'warn' });
  try {
    const document = buildOpenApiDocument(app, config);
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } finally {
    await app.close();
  }
}, 'Could not build the OpenAPI document');
