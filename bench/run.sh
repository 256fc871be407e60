#!/usr/bin/env bash
# npm run bench: builds the service, then measures it against the reference
# server (bench/reference-server.js) on one local Redis. Knobs: see docs/performance.md.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "${REPO_ROOT}"

use_node24
ensure_cmds redis-server:redis-server wrk:wrk || exit 1
ensure_deps
npm run -s build
exec node bench/bench.mjs
