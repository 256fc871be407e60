#!/usr/bin/env bash
# The whole test suite (npm test): lint, build, the service's unit, e2e,
# cluster and resilience suites, then every infrastructure check present.
# Each step runs even if an earlier one failed; the last line sums them up.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "${REPO_ROOT}"

use_node24
ensure_cmds redis-server:redis-server redis-cli:redis-tools
ensure_deps
mkdir -p "${CACHE_DIR}"

passed=0
failed=0
failed_steps=()

count_line() { grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1; }

# step NAME COMMAND...: runs a step that prints "N passed, N failed", or counts as 1 check.
step() {
  local name="$1" out="${CACHE_DIR}/step-${1}.log" rc line
  shift
  log "${name}"
  "$@" 2>&1 | tee "${out}"
  rc=${PIPESTATUS[0]}
  line="$(count_line "${out}")"
  if [[ -n "${line}" ]]; then
    passed=$((passed + $(cut -d' ' -f1 <<<"${line}")))
    failed=$((failed + $(cut -d' ' -f3 <<<"${line}")))
  elif ((rc == 0)); then
    passed=$((passed + 1))
  fi
  if ((rc != 0)); then
    [[ -n "${line}" && "$(cut -d' ' -f3 <<<"${line}")" != "0" ]] || failed=$((failed + 1))
    failed_steps+=("${name}")
  fi
}

jest_suite() {
  local results="${CACHE_DIR}/jest-results.json" rc
  # A crashed run writes no results: counts must not come from the previous one.
  rm -f "${results}"
  # --forceExit: a handle leaked by a failing test must not hang CI; the failure is still reported.
  npx jest --ci --forceExit --json --outputFile="${results}"
  rc=$?
  node -e 'const r = require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' "${results}"
  return ${rc}
}

step lint npm run -s lint
step build npm run -s build
step service-tests jest_suite
for check in terraform helm slo pipeline image bench; do
  step "${check}" bash "scripts/check-${check}.sh"
done
# The SLO rules against a real Prometheus scraping the real service while Redis is stopped.
step slo-e2e bash scripts/slo-e2e.sh

echo
if ((${#failed_steps[@]} > 0)); then
  echo "failed steps: ${failed_steps[*]}"
fi
echo "${passed} passed, ${failed} failed"
((${#failed_steps[@]} == 0))
