# syntax=docker/dockerfile:1
# One image for every process of the service:
#   API (default)    node dist/main.js          port 3000 (PORT)
#   worker           node dist/worker.js        probes on 3001 (WORKER_HEALTH_PORT)
#   index sync       node dist/sync-indexes.js  one-off, exits 0
# test/dockerfile.e2e-spec.ts runs this file's RUN, CMD and HEALTHCHECK lines outside Docker,
# so keep to the instructions it knows (FROM, WORKDIR, ENV, COPY, RUN, USER, EXPOSE,
# HEALTHCHECK, CMD) and to JSON (exec) form for CMD and HEALTHCHECK.

# Every stage is on the Node.js release pinned in .nvmrc (test/dockerfile.e2e-spec.ts checks it).
# Everything the build needs, dev dependencies included.
FROM node:26.12.1-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only, installed apart so no build tool reaches the runtime image.
FROM node:26.12.1-trixie-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error && npm cache clean --force

FROM node:26.12.1-trixie-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only to the user that runs the service.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The base image's `node` user, by number so Kubernetes can check runAsNonRoot.
USER 1000:1000
EXPOSE 3000 3001
# Liveness on the API port; the worker's container overrides it with WORKER_HEALTH_PORT.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', { signal: AbortSignal.timeout(3000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
