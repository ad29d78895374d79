#!/usr/bin/env bash
# `npm test`: installs what is missing, starts the data stores, then runs lint, type
# checks (the generated API client's too), the OpenAPI linter, unit, e2e, browser and chaos
# tests, and fuzzes the API from its OpenAPI document.
# Honours MONGODB_URI / REDIS_URL; every e2e file and the fuzzer work in a database of
# their own, never in the one `npm start` uses.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$root"

log "on Node.js $(node --version)"
ensure_node_modules
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v nginx >/dev/null || missing+=(nginx-light)
command -v envsubst >/dev/null || missing+=(gettext-base)
command -v supervisord >/dev/null || missing+=(supervisor)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
bash scripts/stores.sh
# Some tests kill and freeze MongoDB servers of their own: they need a binary even when a
# shared server already answers.
command -v mongod >/dev/null || bash scripts/stores.sh --ferretdb-binary
# The original Flask service, which the cutover tests run beside this one.
ensure_venv "$root/.data/peer-test-venv" "$root/test/peer-flask/requirements.txt"

step() { log "$1"; shift; "$@"; }
step "lint" npm run -s lint
step "deployment files" bash scripts/validate-deploy.sh
step "type check" npx tsc -p tsconfig.json
step "k6 type check" npx tsc -p k6/tsconfig.json
step "k6 options check" node scripts/check-k6-options.mjs
# The committed OpenAPI document (held to the served one by test/openapi.e2e-spec.ts), by a
# linter built for it: Redocly's recommended rules, examples held to their schemas.
step "OpenAPI lint" env REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  npx redocly lint docs/openapi.json --format=summary
step "build" npm run -s build
results=.data/test-results
rm -rf "$results" && mkdir -p "$results"
step "unit tests" npm run -s test:unit -- --json --outputFile="$results/unit.json"
step "e2e tests" npm run -s test:e2e -- --json --outputFile="$results/e2e.json"
# The todo suites once more, every request through nginx with the project's config.
step "e2e tests through nginx" env E2E_VIA_NGINX=1 npm run -s test:e2e -- \
  test/todos.e2e-spec.ts test/pagination.e2e-spec.ts test/validation.e2e-spec.ts \
  test/http-semantics.e2e-spec.ts test/auth.e2e-spec.ts test/owners.e2e-spec.ts \
  test/tokens.e2e-spec.ts \
  --json --outputFile="$results/e2e-nginx.json"
step "browser tests" npm run -s test:browser -- --json --outputFile="$results/browser.json"
step "chaos tests" npm run -s test:chaos -- --json --outputFile="$results/chaos.json"
# Fuzzing from the OpenAPI document; any failure stops the run here with a non-zero exit.
step "API fuzzing" bash scripts/fuzz.sh

# One closing line over all suites, e.g. "tests: 91 passed, 0 failed".
node -e '
  const fs = require("node:fs");
  const dir = process.argv[1];
  let passed = 0, failed = 0;
  for (const f of fs.readdirSync(dir)) {
    const r = JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed`);
' "$results"
