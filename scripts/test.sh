#!/usr/bin/env bash
# The whole test suite (npm test): lint, build, the service's jest suites, then every
# infrastructure suite. Each step runs even if an earlier one failed. A step that cannot
# run on this machine says "SKIPPED <what>: <why>" and counts neither as passed nor as
# failed; under TEST_NO_SKIP=1 (.ci/run) a skip is a failure. The last line sums up:
# "N passed, M failed, K skipped".
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}" || exit 1

use_node24
ensure_cmds redis-server:redis-server redis-cli:redis-tools || exit 1
ensure_deps
mkdir -p "${CACHE_DIR}"

passed=0 failed=0 skipped=0
summary=()
failed_steps=()

# The closing count line of a step: "N passed, M failed[, K skipped]".
count_line() { grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$1" | tail -n 1; }

# heartbeat NAME LOG: while a step is silent for 10 s, says it is still running and what it
# printed last, so that no step is quiet for longer than that.
heartbeat() {
  local name="$1" file="$2" start=${SECONDS} last=${SECONDS} mtime
  while sleep 1; do
    mtime=$(stat -c %Y "${file}" 2>/dev/null || echo 0)
    ((mtime > last)) && last=${mtime}
    if (($(date +%s) - last >= 10)); then
      printf '  ... %s still running (%ds): %s\n' "${name}" $((SECONDS - start)) \
        "$(grep -v '^\s*$' "${file}" 2>/dev/null | tail -n 1 | cut -c1-100)" >&2
      last=$(date +%s)
    fi
  done
}

# step NAME COMMAND...: runs a step that prints "N passed, M failed[, K skipped]", or counts
# as one check by its exit code.
step() {
  local name="$1" out="${CACHE_DIR}/step-${1}.log" rc line np=0 nf=0 ns=0 start=${SECONDS} hb
  shift
  log "${name}"
  : >"${out}"
  heartbeat "${name}" "${out}" &
  hb=$!
  "$@" 2>&1 | tee "${out}"
  rc=${PIPESTATUS[0]}
  kill "${hb}" 2>/dev/null
  wait "${hb}" 2>/dev/null
  line="$(count_line "${out}")"
  if [[ -n "${line}" ]]; then
    read -r np _ nf _ ns _ <<<"${line//,/}"
  elif ((rc == 0)); then
    np=1
  fi
  # A failing exit with no failed check (a crash, a hang cut short) is one failure.
  ((rc != 0 && nf == 0)) && nf=1
  passed=$((passed + np)) failed=$((failed + nf)) skipped=$((skipped + ${ns:-0}))
  ((rc != 0)) && failed_steps+=("${name}")
  summary+=("$(printf '%-14s %5ds  %s' "${name}" $((SECONDS - start)) "$( ((rc == 0)) && echo ok || echo FAILED): ${np} passed, ${nf} failed, ${ns:-0} skipped")")
  log "${name}: $( ((rc == 0)) && echo ok || echo FAILED) in $((SECONDS - start))s"
}

jest_suite() {
  local results="${CACHE_DIR}/jest-results.json" rc
  # A crashed run writes no results: counts must not come from the previous one.
  rm -f "${results}"
  # No --forceExit: every suite closes what it opens. The timeout turns a leaked handle
  # (jest would wait for it forever) into a failure instead of a hung CI job.
  timeout --kill-after=10 900 npx jest --ci --json --outputFile="${results}"
  rc=$?
  ((rc == 124)) && echo "jest did not exit within 900 s: an open handle keeps it alive (run with --detectOpenHandles)"
  [[ -f "${results}" ]] || return "$((rc == 0 ? 1 : rc))"
  node -e 'const r = require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)' "${results}"
  return ${rc}
}

step lint npm run -s lint
step build npm run -s build
step service-tests jest_suite
step quickstart bash test/quickstart/run.sh
step terraform bash test/terraform/run.sh
step chart bash test/chart/run.sh
step slo bash test/slo/run.sh
step pipeline bash .gitlab/tests/run.sh
step image bash test/image/run.sh
# The production render of every environment started from that image, probed as the kubelet would.
step boot bash test/boot/run.sh
step bench-smoke bash bench/smoke.sh
# The SLO rules against a real Prometheus scraping the real service while Redis is stopped.
step slo-e2e bash test/slo/e2e.sh

echo
printf '%s\n' "${summary[@]}"
if ((${#failed_steps[@]} > 0)); then
  echo "failed steps: ${failed_steps[*]}"
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
((${#failed_steps[@]} == 0))
