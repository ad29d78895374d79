# The private PostgreSQL under FerretDB (sourced by stores.sh): Debian's server binaries, a
# cluster of its own initialised under $data/postgresql, listening on loopback only at
# EMBEDDED_PG_PORT (default 54329) and on no Unix socket, run by an unprivileged user as
# PostgreSQL requires (`postgres` when this runs as root). Trust authentication: only local
# processes reach it, as only they reach the SQLite files it replaces.
pg_port=${EMBEDDED_PG_PORT:-54329}
pg_dir="$data/postgresql"

# The newest installed major version's server binaries; Debian's package when there are none.
pg_bin() {
  local found
  found=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
  if [ -z "$found" ]; then
    # No cluster of the package's own on port 5432: this one is the only PostgreSQL needed.
    mkdir -p /etc/postgresql-common
    [ -f /etc/postgresql-common/createcluster.conf ] ||
      echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
    apt_install postgresql
    found=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -1)
  fi
  echo "$found"
}

# Runs a PostgreSQL binary as the cluster's owner.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_answers() { answers_tcp "127.0.0.1:$pg_port"; }

start_postgresql() {
  pg_answers && return 0
  local bin
  bin=$(pg_bin)
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    # The cluster's owner must reach its folder: under a home only root may enter, it cannot.
    if ! runuser -u postgres -- test -x "$data"; then
      pg_dir="${TMPDIR:-/tmp}/todo-service-postgresql-$(printf '%s' "$root" | md5sum | cut -c1-8)"
      log "the postgres user cannot reach $data: the cluster lives in $pg_dir"
    fi
  fi
  if [ ! -f "$pg_dir/PG_VERSION" ]; then
    log "initialising a PostgreSQL cluster in $pg_dir"
    mkdir -p "$pg_dir"
    [ "$(id -u)" != 0 ] || chown postgres: "$pg_dir"
    chmod 700 "$pg_dir"
    as_pg_owner "$bin/initdb" -D "$pg_dir" -U postgres --auth=trust --encoding=UTF8 --locale=C \
      >"$pg_dir.init.log" 2>&1 || { cat "$pg_dir.init.log" >&2; return 1; }
  fi
  log "starting PostgreSQL on 127.0.0.1:$pg_port (data in $pg_dir)"
  # Above the 400 connections each FerretDB's pool may open (tools/ferretdb/main.go says why
  # its pool is that large); a test's FerretDB shares this server with the others.
  as_pg_owner "$bin/pg_ctl" -D "$pg_dir" -l "$pg_dir/server.log" -s -w -t 30 start \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories='' -c max_connections=500" >&2
}

# Creates the database when it is not there yet.
ensure_pg_database() {
  local bin
  bin=$(pg_bin)
  if [ -z "$("$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$1'")" ]; then
    "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres "$1"
  fi
}

pg_url() { echo "postgres://postgres@127.0.0.1:$pg_port/$1"; }

# Notices ("does not exist, skipping") are not news here.
export PGOPTIONS='-c client_min_messages=warning'
