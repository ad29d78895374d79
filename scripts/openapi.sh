#!/usr/bin/env bash
# `npm run openapi`: regenerates docs/openapi.json (the document /docs-json serves) and the
# TypeScript client types made from it (test/client/schema.d.ts), after a change to the API.
# test/openapi.e2e-spec.ts fails while either differs from what the code serves.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$root"
ensure_node_modules
bash scripts/stores.sh
npm run -s build
# The committed document names the default local server, whatever this shell's settings.
env -u PUBLIC_URL PORT=3000 NODE_ENV=development node dist/openapi.js >docs/openapi.json
npx openapi-typescript docs/openapi.json --output test/client/schema.d.ts
npx prettier --log-level warn --write docs/openapi.json test/client/schema.d.ts
log "wrote docs/openapi.json and test/client/schema.d.ts"
