#!/usr/bin/env bash
# npm run bench: builds the service, then measures it beside the bare NestJS floor and the
# node:http reference on local Redis deployments (TLS; TLS cluster). Knobs: docs/performance.md.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "${REPO_ROOT}"

use_node24
ensure_cmds redis-server:redis-server redis-cli:redis-tools wrk:wrk h2load:nghttp2-client openssl:openssl || exit 1
ensure_deps
npm run -s build
exec node bench/bench.mjs
