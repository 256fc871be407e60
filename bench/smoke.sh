#!/usr/bin/env bash
# CI smoke of the load benchmark: a few seconds of GET / and POST /write against
# the production build, asserting zero errors only (no timing assertions in CI).
set -uo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

ensure_cmds redis-server:redis-server wrk:wrk || { skip "benchmark smoke" "${ENSURE_CMDS_WHY}"; finish; }
BENCH_DURATION="${BENCH_DURATION:-2}" BENCH_WARMUP=0 BENCH_ROUNDS=1 BENCH_CONNECTIONS=8 BENCH_SCENARIOS=hello,write \
  BENCH_SERVERS=service BENCH_LIST_KEYS=0 BENCH_TARGETS=smoke BENCH_RESULTS_DIR="${CACHE_DIR}/bench" \
  exec bash "${REPO_ROOT}/bench/run.sh"
