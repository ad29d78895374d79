# Shared helpers for the project's scripts; sourced, not run.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }

# Installs Debian packages (as root), refreshing the package lists when they are missing or old.
apt_install() {
  log "installing $* from Debian"
  [ "$(id -u)" = 0 ] || { log "need root to apt-get install $*"; exit 1; }
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    apt-get update -qq >&2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# npm ci when node_modules is missing or older than the lockfile; quick otherwise.
ensure_node_modules() {
  local marker="$root/node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ "$root/package-lock.json" -nt "$marker" ]; then
    log "installing npm packages"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}
