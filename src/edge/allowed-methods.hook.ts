import type { FastifyInstance } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';

/** Methods an `OPTIONS` or a 405 lists besides the path's own: every path answers OPTIONS. */
const ALWAYS_ALLOWED = ['OPTIONS'];

/** The order `Allow` lists methods in, whatever order the routes were declared in. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const rank = (method: string) => {
  const at = ORDER.indexOf(method);
  return at === -1 ? ORDER.length : at;
};

/** A route path with a parameter or a wildcard, which a static path beside it shadows. */
const PARAMETRIC = /[:*]/;

/** The catch-all route `@fastify/cors` adds for preflights: it serves no path of its own. */
const CORS_PREFLIGHT_ROUTE = '*';

/**
 * A request for a path the API serves, with a method that path does not serve, is a 405
 * with `Allow` (RFC 9110 §15.5.6); `OPTIONS` on such a path is a 204 with `Allow`. Any other
 * unmatched request goes on to the 404 it always was.
 *
 * Fastify's router reports only "no route": it cannot say whether another method would have
 * matched the path. So every route is also added, as it is declared (`onRoute`), to a second
 * find-my-way router built with the same matching options — the library Fastify routes
 * with — which is asked, for an unmatched request, which methods match its path. Installed
 * before Nest's routes are (they are added at `init`); its hook runs after the security
 * headers and CORS, so a 405 carries them, and a CORS preflight is answered by the CORS
 * plugin before it.
 */
export function installAllowedMethods(fastify: FastifyInstance): void {
  const options = fastify.initialConfig.routerOptions ?? {};
  const paths = FindMyWay({
    caseSensitive: options.caseSensitive,
    ignoreTrailingSlash: options.ignoreTrailingSlash,
    ignoreDuplicateSlashes: options.ignoreDuplicateSlashes,
    maxParamLength: options.maxParamLength,
  });
  const methods = new Set<HTTPMethod>();
  const served = () => undefined;
  // The methods of each path declared without parameters (`/todos/exports`).
  const staticPaths = new Map<string, Set<HTTPMethod>>();

  fastify.addHook('onRoute', (route) => {
    if (route.url === CORS_PREFLIGHT_ROUTE) return;
    for (const method of [route.method].flat().map((m) => m.toUpperCase() as HTTPMethod)) {
      if (paths.hasRoute(method, route.url)) continue; // HEAD beside its GET, a prefix twin
      paths.on(method, route.url, served);
      methods.add(method);
      if (!PARAMETRIC.test(route.url)) {
        staticPaths.set(route.url, (staticPaths.get(route.url) ?? new Set()).add(method));
      }
    }
  });

  /**
   * The methods a path serves. A path declared as it is names a resource of its own: only its
   * own methods serve it, although a parametric sibling (`/todos/:id`) also matches it for
   * other methods, so `PATCH /todos/exports` is a 405, not a 400 about a malformed todo id.
   */
  const allowedFor = (path: string): HTTPMethod[] => {
    const own = staticPaths.get(path);
    return (
      own ? [...own] : [...methods].filter((method) => paths.find(method, path) !== null)
    ).sort((a, b) => rank(a) - rank(b));
  };

  fastify.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url;
    // A static route is never shadowed; the common case returns here without more work.
    if (!request.is404 && (route === undefined || !PARAMETRIC.test(route))) return done();
    const path = request.url.split('?')[0];
    // The preflight route's own handler would answer a 404 for a plain OPTIONS: answered here.
    const answered = request.is404 || route === CORS_PREFLIGHT_ROUTE || staticPaths.has(path);
    if (!answered) return done();
    const allowed = allowedFor(path);
    if (allowed.length === 0) return done();
    const allow = [...allowed, ...ALWAYS_ALLOWED].join(', ');
    void reply.header('allow', allow);
    if (request.method === 'OPTIONS') return void reply.code(204).send();
    void reply.code(405).send({
      statusCode: 405,
      error: 'Method Not Allowed',
      message: `${request.method} is not served here; this path serves ${allow}`,
    });
  });
}
