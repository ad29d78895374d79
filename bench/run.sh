#!/usr/bin/env bash
# `npm run bench` / `npm run bench:worker`: everything a benchmark needs, then the benchmark.
# Not a test: it prints
# figures (and writes them under bench/results/), it asserts nothing.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../scripts/lib.sh"
cd "$root"
log "on Node.js $(node --version)"
ensure_node_modules
command -v wrk >/dev/null || apt_install wrk
bash scripts/stores.sh
npm run -s build
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# `npm run bench` runs the HTTP benchmark; `npm run bench:worker` the worker's;
# `npm run bench:compare -- <dir-a> <dir-b>` two builds' cached hit paths side by side;
# `npm run bench:round-trips -- [<dir>]` the Redis commands of one cached hit;
# `npm run bench:migrate` `npm run migrate` on 10,000 of the original's documents.
if [ "${1:-}" = worker ]; then exec node bench/worker.mjs; fi
if [ "${1:-}" = round-trips ]; then shift && exec node bench/round-trips.mjs "$@"; fi
if [ "${1:-}" = compare ]; then shift && exec node bench/compare.mjs "$@"; fi
if [ "${1:-}" = owners ]; then exec node bench/owners.mjs; fi
if [ "${1:-}" = migrate ]; then exec node bench/migrate.mjs; fi
exec node bench/run.mjs "$@"
