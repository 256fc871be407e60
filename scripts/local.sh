#!/usr/bin/env bash
# Runs the service locally (npm run local). Without REDIS_HOST it starts an ephemeral
# redis-server on a free loopback port. Whatever stops it (Ctrl-C, SIGINT, SIGTERM or SIGHUP
# to npm or to this script, npm itself dying) stops the service and Redis and removes Redis's
# directory.
set -euo pipefail
# npm exits on SIGTERM without passing it on, and dies of SIGHUP: a parent-death signal makes
# its end ours, and ours that of Redis and the service (the setting is not inherited on fork).
guarded=()
command -v setpriv >/dev/null 2>&1 && guarded=(setpriv --pdeathsig TERM)
if [[ -z "${KV_LOCAL_GUARDED:-}" && ${#guarded[@]} -gt 0 ]]; then
  KV_LOCAL_GUARDED=1 exec "${guarded[@]}" bash "$0" "$@"
fi
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}"

use_node24
ensure_deps
log "building"
npm run -s build

export HOST="${HOST:-127.0.0.1}" PORT="${PORT:-8080}" MANAGEMENT_PORT="${MANAGEMENT_PORT:-9464}"
# port_free PORT: true when HOST:PORT can be listened on.
port_free() {
  node -e 'const s = require("net").createServer().once("error", () => process.exit(1)).listen(+process.argv[1], process.argv[2], () => s.close())' "$1" "${HOST}"
}
port_free "${PORT}" || die "${HOST}:${PORT} is already in use: choose another port with PORT, e.g. PORT=8081 npm run local"
port_free "${MANAGEMENT_PORT}" || die "${HOST}:${MANAGEMENT_PORT} is already in use: choose another port with MANAGEMENT_PORT, e.g. MANAGEMENT_PORT=9465 npm run local"

redis_pid="" service_pid="" redis_dir="" stopping=""
# stop PID: SIGTERM, then wait until it is gone (a signal can cut one wait short).
stop() {
  kill -TERM "$1" 2>/dev/null || return 0
  while kill -0 "$1" 2>/dev/null; do wait "$1" 2>/dev/null || true; done
}
cleanup() {
  [[ -n "${stopping}" ]] && return
  stopping=1
  # npm's end signals us once more (a hangup ends npm too): nothing may cut this short.
  trap '' INT TERM HUP
  [[ -n "${service_pid}" ]] && stop "${service_pid}"
  [[ -n "${redis_pid}" ]] && stop "${redis_pid}"
  [[ -n "${redis_dir}" ]] && rm -rf "${redis_dir}"
  return 0
}
trap cleanup EXIT
trap '[[ -n "${stopping}" ]] || { cleanup; exit 130; }' INT
trap '[[ -n "${stopping}" ]] || { cleanup; exit 143; }' TERM
trap '[[ -n "${stopping}" ]] || { cleanup; exit 129; }' HUP

if [[ -z "${REDIS_HOST:-}" ]]; then
  ensure_cmds redis-server:redis-server || exit 1
  REDIS_PORT="$(free_port)"
  redis_dir="$(mktemp -d)"
  "${guarded[@]}" redis-server --port "${REDIS_PORT}" --bind 127.0.0.1 --save '' --appendonly no --dir "${redis_dir}" --daemonize no \
    --loglevel warning &
  redis_pid=$!
  export REDIS_HOST=127.0.0.1 REDIS_PORT
  log "ephemeral Redis on 127.0.0.1:${REDIS_PORT} (data is discarded on exit)"
fi

export SHUTDOWN_DRAIN_DELAY_MS="${SHUTDOWN_DRAIN_DELAY_MS:-0}"
log "kv-api on http://${HOST}:${PORT}, health and metrics on http://${HOST}:${MANAGEMENT_PORT} (Ctrl-C stops)"
# In the background, so that a signal runs its trap at once instead of after the service exits.
"${guarded[@]}" node dist/main.js &
service_pid=$!
rc=0
wait "${service_pid}" || rc=$?
service_pid=""
exit "${rc}"
