#!/usr/bin/env bash
# `npm run bench`: everything the benchmark needs, then bench/run.mjs. Not a test: it prints
# figures (and writes them under bench/results/), it asserts nothing.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../scripts/lib.sh"
cd "$root"
ensure_node_modules
command -v wrk >/dev/null || apt_install wrk
bash scripts/stores.sh
npm run -s build
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec node bench/run.mjs "$@"
