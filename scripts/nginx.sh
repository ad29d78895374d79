#!/usr/bin/env bash
# Runs Debian's nginx in the foreground with the project's template
# (nginx/templates/todo-service.conf.template), rendered by envsubst the way the official
# image renders it, inside a minimal main configuration kept in DIR (temp paths, pid, logs),
# so it never touches the system's nginx. Used by the tests and the benchmark.
#   NGINX_PORT=8080 API_UPSTREAM_SERVERS="server 127.0.0.1:3000;" scripts/nginx.sh DIR
# Optional: NGINX_RATE_LIMIT (10000r/s), NGINX_RATE_BURST (10000), NGINX_ACCESS_LOG
# (DIR/access.log), NGINX_WORKERS (auto).
set -euo pipefail
dir=$1
mkdir -p "$dir"
template="$(cd "$(dirname "$0")/.." && pwd)/nginx/templates/todo-service.conf.template"
export NGINX_RATE_LIMIT=${NGINX_RATE_LIMIT:-10000r/s}
export NGINX_RATE_BURST=${NGINX_RATE_BURST:-10000}
export NGINX_ACCESS_LOG=${NGINX_ACCESS_LOG:-$dir/access.log}
: "${NGINX_PORT:?}" "${API_UPSTREAM_SERVERS:?}"
# Only the template's own variables: nginx's `$variables` must stay as they are.
envsubst '$NGINX_PORT $API_UPSTREAM_SERVERS $NGINX_RATE_LIMIT $NGINX_RATE_BURST $NGINX_ACCESS_LOG' \
  <"$template" >"$dir/todo-service.conf"
cat >"$dir/nginx.conf" <<CONF
daemon off;
worker_processes ${NGINX_WORKERS:-auto};
pid $dir/nginx.pid;
events { worker_connections 8192; }
http {
  include /etc/nginx/mime.types;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  include $dir/todo-service.conf;
}
CONF
args=(-p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf")
nginx "${args[@]}" -t -q
exec nginx "${args[@]}"
