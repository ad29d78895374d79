import { installAuthentication } from '../auth/authentication.hook.js';
import { installCacheFastPath } from '../cache/cache-fast-path.js';
import { installRequestLogging } from '../observability/logging.js';
import { setUpSwagger } from '../openapi/openapi-document.js';
import { installAllowedMethods } from './allowed-methods.hook.js';
import { installConditionalGet } from './conditional-get.hook.js';
import { installCors } from './cors.hook.js';
import { edgePipeline } from './edge-step.js';
import { installRateLimit } from './rate-limit.hook.js';
import { installSecurityHeaders } from './security-headers.hook.js';

/**
 * The API's Fastify-level pipeline: everything a request meets before (and after) Nest's
 * router, in the one order it is installed in. Fastify runs hooks of one kind in the order
 * they were added, route-level ones (the rate limit's) after the instance's, and the kinds
 * in its lifecycle's order: `onRequest`, `preHandler`, the handler, `onSend`, `onResponse`.
 * Every step is installed before `app.init()`, which adds Nest's routes, so an `onRoute`
 * listener sees each of them. docs/architecture.md draws this list; its unit spec holds the
 * order.
 */
export const EDGE_PIPELINE = edgePipeline([
  {
    // `X-Request-Id` on every response and one log line per request (`onRequest`,
    // `onResponse`). First, so that every answer the steps below give on their own (a CORS
    // preflight, a 429, a 405, a cache hit) carries the id and is logged, and so that the
    // request's id is bound to every line written while any later hook runs.
    name: 'request logging',
    phase: 'adapter',
    install: ({ fastify, logger }) => installRequestLogging(fastify, logger),
  },
  {
    // Helmet's headers (`onRequest`). Before every step that can answer early, so no answer
    // goes out without them — a 429 or a 405 included. Fastify's own refusals (a malformed
    // URL), which run no hook, get them from `answerFrameworkError`.
    name: 'security headers',
    phase: 'adapter',
    install: ({ fastify }) => installSecurityHeaders(fastify),
  },
  {
    // CORS for CORS_ORIGINS (`onRequest`). Before the token check and the rate limit: a
    // preflight, which carries no token, is answered here without either, and a 429 from
    // below still carries the CORS headers a browser needs to read it. A plugin with its own
    // preflight route (`OPTIONS *`), registered on the bare instance before any other route.
    name: 'cors',
    phase: 'adapter',
    install: ({ fastify, config }) => installCors(fastify, config),
  },
  {
    // The bearer token check (`onRequest`), which sets `request.principal` and, in the same
    // Redis round trip, `request.cachedView`. The first app-phase step: it takes the
    // `Authenticator` from Nest's container. Before the rate limit (which counts per owner),
    // the cache's fast path (which sends only the caller's own views) and Nest's `AuthGuard`
    // (which reads `request.principal`).
    name: 'authentication',
    phase: 'app',
    install: ({ app }) => installAuthentication(app),
  },
  {
    // The per-owner rate limit in Redis (429). App phase for its Redis connection, which
    // `RedisModule` owns; before `init` because the plugin hooks each route as it is added
    // (`onRoute`), as a route-level `onRequest` hook. Fastify runs those after every
    // instance-level one: after the token check above (it counts per owner) and the 405
    // check below (a 405 is not counted), and before the fast path, so cache hits count.
    name: 'rate limit',
    phase: 'app',
    install: ({ app, config }) => installRateLimit(app, config),
  },
  {
    // 405 and OPTIONS with `Allow` (`onRequest`). After the security headers and CORS, so a
    // 405 carries them and a preflight is CORS's to answer; before `init`, as it learns the
    // routes through `onRoute`. It takes nothing from Nest: it sits in the app phase only
    // because it has always run after the token check, which changes nothing for a 405.
    name: 'allowed methods',
    phase: 'app',
    install: ({ fastify }) => installAllowedMethods(fastify),
  },
  {
    // A cache hit sent before Nest's router (`preHandler`): after every `onRequest` hook,
    // so the request id, headers, token check and rate limit all applied. App phase for
    // `CacheStats`, which counts the hit here.
    name: 'cache fast path',
    phase: 'app',
    install: ({ app }) => installCacheFastPath(app),
  },
  {
    // 200 → 304 when `If-None-Match` names the `ETag` (`onSend`). After the handler, so one
    // rule covers a hit sent by the fast path and an answer from Nest alike.
    name: 'conditional get',
    phase: 'app',
    install: ({ fastify }) => installConditionalGet(fastify),
  },
  {
    // Swagger UI at /docs and the document at /docs-json. Last: the document is a scan of
    // Nest's controllers, which needs the application, and its routes are added after every
    // `onRoute` listener above, so /docs answers a 405 like any path and the rate limit
    // sees (and exempts) it.
    name: 'swagger',
    phase: 'app',
    install: ({ app, config }) => setUpSwagger(app, config),
  },
]);
