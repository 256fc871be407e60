#!/usr/bin/env bash
# CI smoke of the load benchmark: a few seconds of GET / and POST /write against
# the production build, asserting zero errors only (no timing assertions in CI).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}"

use_node24
ensure_cmds redis-server:redis-server wrk:wrk
ensure_deps
npm run -s build
BENCH_DURATION="${BENCH_DURATION:-2}" BENCH_WARMUP=0 BENCH_ROUNDS=1 BENCH_CONNECTIONS=8 BENCH_SCENARIOS=hello,write \
  BENCH_SERVERS=service BENCH_LIST_KEYS=0 BENCH_TARGETS=smoke BENCH_RESULTS_DIR="${CACHE_DIR}/bench" \
  node bench/bench.mjs
