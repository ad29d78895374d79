#!/usr/bin/env bash
# `npm start`: installs what is missing, starts the data stores when MONGODB_URI / REDIS_URL
# do not answer, builds, then runs the API and the worker until Ctrl-C (or SIGTERM), which
# stops both gracefully. Honours every configuration variable (see .env.example), so
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
node dist/main.js &
api=$!
node dist/worker.js &
worker=$!
stop() { kill -TERM "$api" "$worker" 2>/dev/null || true; wait "$api" "$worker" 2>/dev/null || true; }
trap 'stop; exit 0' INT TERM

for _ in $(seq 1 300); do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/docs-json"; then
    log "API:        http://127.0.0.1:$port/todos"
    log "Swagger UI: http://127.0.0.1:$port/docs"
    log "worker running (pid $worker); Ctrl-C stops both"
    break
  fi
  kill -0 "$api" 2>/dev/null || break
  sleep 0.2
done

# If either process ends on its own, stop the other and report its exit code.
set +e
wait -n "$api" "$worker"
code=$?
stop
exit "$code"
