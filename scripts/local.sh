#!/usr/bin/env bash
# Runs the service locally (npm run local). Without REDIS_HOST it starts an
# ephemeral redis-server on a free loopback port and removes it on exit.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}"

use_node24
ensure_deps
log "building"
npm run -s build

if [[ -z "${REDIS_HOST:-}" ]]; then
  ensure_cmds redis-server:redis-server
  REDIS_PORT="$(free_port)"
  redis_dir="$(mktemp -d)"
  redis-server --port "${REDIS_PORT}" --bind 127.0.0.1 --save '' --appendonly no --dir "${redis_dir}" --daemonize no \
    --loglevel warning &
  redis_pid=$!
  trap 'kill "${redis_pid}" 2>/dev/null; wait "${redis_pid}" 2>/dev/null; rm -rf "${redis_dir}"' EXIT
  export REDIS_HOST=127.0.0.1 REDIS_PORT
  log "ephemeral Redis on 127.0.0.1:${REDIS_PORT} (data is discarded on exit)"
fi

export HOST="${HOST:-127.0.0.1}" SHUTDOWN_DRAIN_DELAY_MS="${SHUTDOWN_DRAIN_DELAY_MS:-0}"
log "kv-api on http://${HOST}:${PORT:-8080}, health and metrics on http://${HOST}:${MANAGEMENT_PORT:-9464} (Ctrl-C stops)"
node dist/main.js
