#!/usr/bin/env bash
# CI smoke of the load benchmark: its unit tests (the capacity model, the open loop's h2load
# plan), then a few seconds of GET / and POST /write and one open-loop point of the mix, against
# the production build on standalone TLS and on a TLS cluster with a password, asserting zero
# errors only (no timing assertions in CI).
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../scripts/lib.sh"
cd "${REPO_ROOT}" || exit 1
use_node24

node_tests bench/*.test.mjs
ensure_cmds redis-server:redis-server redis-cli:redis-tools wrk:wrk h2load:nghttp2-client openssl:openssl \
  || { skip "benchmark smoke" "${ENSURE_CMDS_WHY}"; finish; }
out="$(mktemp)"
BENCH_CONFIGS=tls,cluster BENCH_DURATION="${BENCH_DURATION:-2}" BENCH_WARMUP=0 BENCH_ROUNDS=1 BENCH_CONNECTIONS=8 \
  BENCH_SCENARIOS=hello,write,mixed BENCH_SERVERS=service BENCH_OPEN_SCENARIOS=mixed BENCH_OPEN_LOADS=25 BENCH_OPEN_ROUNDS=1 \
  BENCH_OPEN_SECONDS=2 BENCH_LIST_KEYS=0 BENCH_TARGETS=smoke BENCH_RESULTS_DIR="${CACHE_DIR}/bench" \
  bash "${REPO_ROOT}/bench/run.sh" 2>&1 | tee "${out}"
rc=${PIPESTATUS[0]}
# The bench's own last line: "N passed, M failed".
counts="$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "${out}" | tail -n1)"
rm -f "${out}"
if [[ -z "${counts}" ]]; then
  ko "benchmark smoke printed no result (exit ${rc})"
else
  # shellcheck disable=SC2086 # two numbers
  tally ${counts}
  ((rc != 0 && ${counts#* } == 0)) && ko "benchmark smoke exited ${rc}"
fi
finish
