#!/usr/bin/env bash
# `npm test`: installs what is missing, starts the data stores, then runs lint, type
# checks, unit, e2e and browser tests. Honours MONGODB_URI / REDIS_URL; every e2e file
# works in a database of its own, never in the one `npm start` uses.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$root"

ensure_node_modules
command -v chromium >/dev/null || apt_install chromium
bash scripts/stores.sh

step() { log "$1"; shift; "$@"; }
step "lint" npm run -s lint
step "deployment files" bash scripts/validate-deploy.sh
step "type check" npx tsc -p tsconfig.json
step "build" npm run -s build
results=.data/test-results
rm -rf "$results" && mkdir -p "$results"
step "unit tests" npm run -s test:unit -- --json --outputFile="$results/unit.json"
step "e2e tests" npm run -s test:e2e -- --json --outputFile="$results/e2e.json"
step "browser tests" npm run -s test:browser -- --json --outputFile="$results/browser.json"

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
