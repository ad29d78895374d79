#!/usr/bin/env bash
# Makes sure Redis and a MongoDB-compatible server answer at REDIS_URL and MONGODB_URI (and the
# cache's Redis at CACHE_REDIS_URL, when it names another: allkeys-lru under a maxmemory of
# CACHE_REDIS_MAXMEMORY, default 256mb).
# Idempotent and quick when they already answer. Otherwise, for a local address only, it
# starts them: redis-server (installed from Debian when missing), and mongod when on PATH,
# else FerretDB built from tools/ferretdb (no registry reachable here ships mongod) on a
# private PostgreSQL (Debian's, installed when missing), or with EMBEDDED_DB=sqlite on SQLite
# files, for a machine without PostgreSQL: docs/decisions.md, "FerretDB on PostgreSQL".
# Data lives under $DATA_DIR (default .data/, ignored by git).
# `stores.sh --fresh-pg-database NAME` makes an empty database there (a test's own FerretDB).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
data=${DATA_DIR:-$root/.data}
mongodb_uri=${MONGODB_URI:-mongodb://127.0.0.1:27017/todo}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
cache_redis_url=${CACHE_REDIS_URL:-$redis_url}
embedded_db=${EMBEDDED_DB:-postgresql}
case $embedded_db in postgresql | sqlite) ;; *)
  log "EMBEDDED_DB must be postgresql or sqlite, got $embedded_db"
  exit 78
  ;;
esac
# shellcheck source=scripts/postgresql.sh
source "$(dirname "$0")/postgresql.sh"

# host:port of the first host in a URI (credentials, path and options stripped).
endpoint() {
  local rest=${1#*://}
  rest=${rest##*@}
  rest=${rest%%/*}
  rest=${rest%%\?*}
  rest=${rest%%,*}
  case $rest in *:*) echo "$rest" ;; *) echo "$rest:$2" ;; esac
}

is_local() { case ${1%%:*} in 127.* | localhost | ::1) return 0 ;; *) return 1 ;; esac; }

answers_tcp() { timeout 1 bash -c "exec 3<>/dev/tcp/${1%%:*}/${1##*:}" 2>/dev/null; }

# Redis answers PING with +PONG, or with -NOAUTH when it wants a password: both mean "up".
answers_redis() {
  timeout 1 bash -c "exec 3<>/dev/tcp/${1%%:*}/${1##*:}; printf 'PING\r\n' >&3; IFS= read -r line <&3; [[ \$line == +PONG* || \$line == -NOAUTH* ]]" 2>/dev/null
}

wait_for() { # name check endpoint seconds
  local i
  for ((i = 0; i < $4 * 10; i++)); do
    if "$2" "$3"; then return 0; fi
    sleep 0.1
  done
  log "$1 did not answer on $3 within $4 s"
  return 1
}

start_redis() { # endpoint, then `cache` for the cache's own Redis
  local ep=$1 port=${1##*:} dir="$data/redis-${1##*:}" policy
  command -v redis-server >/dev/null || apt_install redis-server
  # Installing the Debian package may have started its own server on the default port.
  answers_redis "$ep" && return 0
  mkdir -p "$dir"
  if [ "${2:-}" = cache ]; then
    # The cache may lose any key (it then asks MongoDB): evict, never grow past maxmemory.
    policy=(--appendonly no --maxmemory "${CACHE_REDIS_MAXMEMORY:-256mb}" --maxmemory-policy allkeys-lru)
  else
    # The queues, locks and limits must never lose a key.
    policy=(--appendonly yes --appendfsync everysec --maxmemory-policy noeviction)
  fi
  log "starting redis-server on $ep (${policy[*]}; data in $dir)"
  redis-server --bind "${ep%%:*}" --port "$port" --daemonize yes --dir "$dir" "${policy[@]}" \
    --save '' --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" >&2
  wait_for redis answers_redis "$ep" 10
}

ferretdb_binary() {
  local bin="$data/bin/ferretdb" src="$root/tools/ferretdb"
  if [ ! -x "$bin" ] || [ -n "$(find "$src" -newer "$bin" -type f | head -1)" ]; then
    command -v go >/dev/null || { log "Go is needed to build FerretDB"; exit 1; }
    log "building FerretDB from the Go module proxy (about a minute the first time)"
    mkdir -p "$data/bin"
    (cd "$src" && go build -trimpath -o "$bin" .) >&2
  fi
  echo "$bin"
}

start_mongo() {
  local ep=$1 dir="$data/mongo-${1##*:}"
  mkdir -p "$dir"
  if command -v mongod >/dev/null; then
    log "starting mongod on $ep (data in $dir)"
    mongod --bind_ip "${ep%%:*}" --port "${ep##*:}" --dbpath "$dir" --fork --logpath "$dir/mongod.log" >&2
  else
    local bin backend
    bin=$(ferretdb_binary)
    if [ "$embedded_db" = sqlite ]; then
      backend=(-handler sqlite -data "$dir")
    else
      start_postgresql
      ensure_pg_database ferretdb
      backend=(-handler postgresql -postgresql-url "$(pg_url ferretdb)")
    fi
    log "starting FerretDB on $ep (${embedded_db} backend)"
    setsid nohup "$bin" -listen "$ep" "${backend[@]}" >>"$dir/ferretdb.log" 2>&1 </dev/null &
    echo $! >"$dir/ferretdb.pid"
  fi
  wait_for mongodb answers_tcp "$ep" 30
}

# `stores.sh --fresh-pg-database NAME`: the private PostgreSQL with an empty database NAME
# (dropped first if there), its URL on stdout: a test's own FerretDB keeps its data there.
# Prints nothing with EMBEDDED_DB=sqlite.
if [ "${1:-}" = --fresh-pg-database ]; then
  [ "$embedded_db" = sqlite ] && exit 0
  start_postgresql
  "$(pg_bin)/dropdb" -h 127.0.0.1 -p "$pg_port" -U postgres --if-exists --force "$2"
  ensure_pg_database "$2"
  pg_url "$2"
  exit 0
fi

# `stores.sh --ferretdb-binary`: only build FerretDB (the tests start private servers with it).
if [ "${1:-}" = --ferretdb-binary ]; then
  ferretdb_binary >/dev/null
  exit 0
fi

redis_ep=$(endpoint "$redis_url" 6379)
mongo_ep=$(endpoint "$mongodb_uri" 27017)

if ! answers_redis "$redis_ep"; then
  is_local "$redis_ep" || { log "Redis at $redis_ep does not answer (REDIS_URL)"; exit 1; }
  start_redis "$redis_ep"
fi
cache_redis_ep=$(endpoint "$cache_redis_url" 6379)
if [ "$cache_redis_ep" != "$redis_ep" ] && ! answers_redis "$cache_redis_ep"; then
  is_local "$cache_redis_ep" || { log "Redis at $cache_redis_ep does not answer (CACHE_REDIS_URL)"; exit 1; }
  start_redis "$cache_redis_ep" cache
fi
if ! answers_tcp "$mongo_ep"; then
  is_local "$mongo_ep" || { log "MongoDB at $mongo_ep does not answer (MONGODB_URI)"; exit 1; }
  start_mongo "$mongo_ep"
fi
log "redis on $redis_ep and mongodb on $mongo_ep are up"
