#!/usr/bin/env bash
# Property-based fuzzing of the HTTP API from its own OpenAPI document (schemathesis).
#
# Starts the built API (`dist/main.js`) and worker on free ports with a database and key
# prefix of their own and the rate limit off, then lets schemathesis generate requests for
# every operation in /docs-json: documented examples, boundary values, random valid and
# invalid inputs, and stateful sequences that follow the documented links (create, then
# read, change, delete), in positive and negative modes. Every check Schemathesis has runs:
# no 5xx; documented statuses, content types, headers and bodies; schema-valid input
# accepted and invalid input refused; missing credentials and unsupported methods refused;
# resources gone after a delete and there after a create. scripts/schemathesis.toml turns off
# a check on an operation only where it is a false positive, and says why.
#
# The seed and the number of examples per operation are fixed, so the examples, coverage and
# fuzzing phases send the same requests every run; the stateful phase follows the server's
# answers (fresh ids, job states), so its count varies a little. Set FUZZ_SEED /
# FUZZ_EXAMPLES to explore further. Exits non-zero on any failure and
# prints one summary line. The fuzzer lives in a virtualenv under $DATA_DIR (made once).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$root"

data=${DATA_DIR:-$root/.data}
seed=${FUZZ_SEED:-20261128}
examples=${FUZZ_EXAMPLES:-150}
name=todo_fuzz
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
mongodb_uri=$(node -e '
  const url = new URL(process.env.MONGODB_URI ?? "mongodb://127.0.0.1:27017/todo");
  url.pathname = "/" + process.argv[1];
  console.log(url.toString());
' "$name")

venv="$data/fuzz-venv"
ensure_venv "$venv" "$root/scripts/fuzz-requirements.txt"

bash scripts/stores.sh
if [ ! -f dist/main.js ] || [ -n "$(find src -newer dist/main.js -type f | head -1)" ]; then
  log "building"
  npm run -s build
fi

free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => {
    console.log(s.address().port); s.close(); });'
}
port=$(free_port)
worker_port=$(free_port)
url="http://127.0.0.1:$port"
out="$data/fuzz"
rm -rf "$out" && mkdir -p "$out"

drop_stores() { node scripts/drop-stores.mjs "$mongodb_uri" "$redis_url" "$name"; }
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  drop_stores || log "could not drop the fuzzing database and keys"
}
trap cleanup EXIT
drop_stores

export NODE_ENV=test LOG_LEVEL=warn RATE_LIMIT_MAX=0 HOST=127.0.0.1 SHUTDOWN_DELAY_MS=0
# The fuzzer registers accounts and fails logins by the thousand from one address.
export REGISTER_MAX_PER_HOUR=100000 LOGIN_MAX_FAILURES_PER_ADDRESS=100000
export MONGODB_URI=$mongodb_uri REDIS_URL=$redis_url CACHE_KEY_PREFIX=$name QUEUE_PREFIX=$name
# The worker runs too, so exports finish and their downloads are fuzzed past 404/409.
PORT=$port node dist/main.js >"$out/api.log" 2>&1 &
pids+=($!)
WORKER_HEALTH_PORT=$worker_port node dist/worker.js >"$out/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do
  curl -fs -o /dev/null "$url/health/live" && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$out/api.log" >&2; exit 1; }
  sleep 0.2
done

# The account every fuzzed request acts as (scripts/fuzz_hooks.py sends its token).
credentials='{"email":"fuzzer@example.com","password":"fuzzing password"}'
curl -fs -o /dev/null -X POST "$url/auth/register" -H 'content-type: application/json' -d "$credentials"
FUZZ_TOKEN=$(curl -fs -X POST "$url/auth/login" -H 'content-type: application/json' -d "$credentials" |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).token))')
export FUZZ_TOKEN FUZZ_URL=$url

log "fuzzing $url/docs-json: $examples examples per operation, seed $seed"
# No exclusions: every documented operation is fuzzed. The job dashboard (/admin/queues)
# is a Fastify plugin outside the document, mounted only with admin credentials.
set +e
(
  cd "$out"
  export PYTHONPATH="$root/scripts" SCHEMATHESIS_HOOKS=fuzz_hooks
  "$venv/bin/schemathesis" --config-file "$root/scripts/schemathesis.toml" run "$url/docs-json" \
    --mode all --phases examples,coverage,fuzzing,stateful \
    --max-examples "$examples" --seed "$seed" --generation-database none \
    --workers 1 --request-timeout 10 --no-color \
    --report json --report-json-path "$out/report.json" 2>&1 |
    # Its closing banner ("=== 2 warnings in 54.31s ===") has the form of pytest's, which a
    # log reader takes for a pytest run that executed no test: reworded, the count is ours.
    sed -E 's/^=+ (.*) in ([0-9.]+s) =+$/schemathesis summary: \1 (\2)/'
  exit "${PIPESTATUS[0]}"
)
status=$?
set -e

# One line for CI logs; the full report is in $out/report.json.
"$venv/bin/python" - "$out/report.json" "$status" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
ops = report["operations"]
cases = report["test_cases"]
failures = cases["with_failures"]
errors = cases["errored"] + ops["errored"]
print(
    f"fuzz: {ops['tested']}/{ops['total']} operations, {cases['generated']} examples, "
    f"{failures} failures, {errors} errors (seed {report['seed']}, exit {sys.argv[2]})"
)
PY
if [ "$status" -ne 0 ]; then
  log "schemathesis found problems: see the output above and $out/report.json"
  exit 1
fi
