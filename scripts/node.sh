#!/usr/bin/env bash
# The pinned Node.js (.nvmrc) for programs started outside npm, such as supervisord's:
# `scripts/node.sh dist/main.js`. Provisions it on first use (see lib.sh), then becomes it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
exec node "$@"
