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
step "type check" npx tsc -p tsconfig.json
step "build" npm run -s build
step "unit tests" npm run -s test:unit
step "e2e tests" npm run -s test:e2e
step "browser tests" npm run -s test:browser
log "all tests passed"
