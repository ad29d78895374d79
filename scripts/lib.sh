# Shared helpers for the project's scripts; sourced, not run. Sourcing it also puts the
# pinned Node.js first on PATH (see use_pinned_node), so everything a script runs after it —
# npm, npm scripts, tests, benchmarks, the service — runs on that Node.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }

# The Node.js version in .nvmrc. A machine whose `node` is already of that major line uses
# its own; any other gets the npm registry's node-linux-<arch> package (the real binary,
# without npm) installed into .runtime/node-<version>, once. The machine's npm then runs on
# it, being a script that starts the first `node` on PATH.
use_pinned_node() {
  local version major arch dir
  version=$(tr -d ' v\n' <"$root/.nvmrc")
  major=${version%%.*}
  if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = "$major" ]; then return; fi
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) log "no node-linux package for $(uname -m): install Node.js $major yourself" && exit 1 ;;
  esac
  dir="$root/.runtime/node-$version/node_modules/node-linux-$arch"
  if [ ! -x "$dir/bin/node" ]; then
    log "installing Node.js $version from the npm registry into .runtime/"
    npm install --prefix "$root/.runtime/node-$version" --no-save --no-package-lock \
      --no-audit --no-fund --loglevel=error "node-linux-$arch@$version" >&2
    # npm reads its machine-wide npmrc (registry, proxy, CA) beside the node that runs it:
    # link the machine's there, so npm on this node is configured as it was before.
    local machine_npmrc
    machine_npmrc=$(npm config get globalconfig)
    if [ -f "$machine_npmrc" ]; then mkdir -p "$dir/etc" && ln -sf "$machine_npmrc" "$dir/etc/npmrc"; fi
  fi
  export PATH="$dir/bin:$PATH"
}
use_pinned_node

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
# ensure_venv DIR REQUIREMENTS: a Python virtualenv with the pinned requirements, rebuilt only
# when they change.
ensure_venv() {
  local venv=$1 requirements=$2
  cmp -s "$requirements" "$venv/.requirements" 2>/dev/null && return 0
  python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
  log "creating the virtualenv $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  cp "$requirements" "$venv/.requirements"
}

ensure_node_modules() {
  local marker="$root/node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ "$root/package-lock.json" -nt "$marker" ]; then
    log "installing npm packages"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}
