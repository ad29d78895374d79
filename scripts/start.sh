#!/usr/bin/env bash
# `npm start`: installs what is missing, starts the data stores when MONGODB_URI / REDIS_URL
# do not answer, builds, then runs the API and the worker until Ctrl-C (or SIGTERM), which
# stops both gracefully. A process that dies is started again, as supervisord would (backoff
# 1 s doubling to 30 s, back to 1 s after a minute up); the other one keeps serving. One that
# fails 5 times in a row within 10 s of starting (a bad setting) stops both, exit code 1. Honours every configuration variable (see .env.example), so
# `PORT=3300 MONGODB_URI=mongodb://127.0.0.1:27017/other npm start` runs a second instance.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$root"

log "on Node.js $(node --version)"
ensure_node_modules
bash scripts/stores.sh
log "building"
npm run -s build

port=${PORT:-3000}
if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
  log "port $port is already in use: stop what runs there, or set PORT (and WORKER_HEALTH_PORT)"
  exit 1
fi
# Runs "$@" for ever in a subshell of its own: restarted after a backoff when it exits; on
# SIGTERM it is stopped (SIGTERM, so it shuts down gracefully) and waited for.
keep_running() {
  local name=$1 delay=1 child='' stopping=0 failures=0 code started
  shift
  trap 'stopping=1; [ -z "$child" ] || kill -TERM "$child" 2>/dev/null || true' TERM
  while :; do
    started=$SECONDS
    "$@" &
    child=$!
    log "$name started (pid $child)"
    # A trapped signal ends `wait` early: wait again until the process has really exited.
    code=0
    while kill -0 "$child" 2>/dev/null; do wait "$child" || code=$?; done
    [ "$stopping" = 0 ] || exit 0
    ((SECONDS - started < 60)) || delay=1
    if ((SECONDS - started < 10)); then failures=$((failures + 1)); else failures=0; fi
    if ((failures >= 5)); then
      log "$name exited $failures times within 10 s of starting (code $code): giving up"
      kill -USR1 $$
      exit 0
    fi
    log "$name exited with code $code; starting it again in ${delay}s"
    sleep "$delay" &
    wait $! || true
    [ "$stopping" = 0 ] || exit 0
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
}

keep_running api node dist/main.js &
api=$!
keep_running worker node dist/worker.js &
worker=$!
stop() { kill -TERM "$api" "$worker" 2>/dev/null || true; wait "$api" "$worker" 2>/dev/null || true; }
trap 'stop; exit 0' INT TERM
trap 'stop; exit 1' USR1

for _ in $(seq 1 300); do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/docs-json"; then
    log "API:        http://127.0.0.1:$port/todos"
    log "Swagger UI: http://127.0.0.1:$port/docs"
    # Outside production: a fresh token of the local development account, and a curl line.
    if [ "${NODE_ENV:-development}" != production ]; then
      node dist/dev-token.js 2>&1 | while IFS= read -r line; do log "$line"; done || true
    fi
    log "Ctrl-C stops both"
    break
  fi
  sleep 0.2
done
# Until a signal, whose trap stops both.
while kill -0 "$api" 2>/dev/null || kill -0 "$worker" 2>/dev/null; do wait || true; done
