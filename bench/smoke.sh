#!/usr/bin/env bash
# CI smoke of the load benchmark: a few seconds of GET / and POST /write, and one open-loop
# point of the mix, against the production build on standalone TLS and on a TLS cluster
# with a password, asserting zero errors only (no timing assertions in CI).
set -uo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

ensure_cmds redis-server:redis-server redis-cli:redis-tools wrk:wrk h2load:nghttp2-client openssl:openssl \
  || { skip "benchmark smoke" "${ENSURE_CMDS_WHY}"; finish; }
BENCH_CONFIGS=tls,cluster BENCH_DURATION="${BENCH_DURATION:-2}" BENCH_WARMUP=0 BENCH_ROUNDS=1 BENCH_CONNECTIONS=8 \
  BENCH_SCENARIOS=hello,write,mixed BENCH_SERVERS=service BENCH_OPEN_SCENARIOS=mixed BENCH_OPEN_LOADS=25 BENCH_OPEN_ROUNDS=1 \
  BENCH_OPEN_SECONDS=2 BENCH_LIST_KEYS=0 BENCH_TARGETS=smoke BENCH_RESULTS_DIR="${CACHE_DIR}/bench" \
  exec bash "${REPO_ROOT}/bench/run.sh"
