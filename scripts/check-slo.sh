#!/usr/bin/env bash
# Proves the SLO-as-code layer:
#   - test/slo/*.test.mjs (node:test): promtool check/test rules case by case, mutation
#     checks of the burn-rate thresholds, rule and dashboard lint (PromQL parse, metric
#     allow-list, runbooks), and helm template of the PrometheusRule/dashboard ConfigMaps.
# modules/monitoring and its Terragrunt unit are checked with the rest by check-terraform.sh.
# Installs what it needs (prometheus package for promtool, pinned npm deps, pinned helm).
# Usage: bash scripts/check-slo.sh        Prints "N passed, N failed"; non-zero on failure.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}" || exit 2
# shellcheck source=scripts/lib.sh
source "${ROOT}/scripts/lib.sh"

use_node24
ensure_cmds promtool:prometheus
if [[ -z "${HELM_BIN:-}" ]]; then
  HELM_BIN="$(install_helm)" || { ko "could not install helm ${HELM_VERSION}"; finish; }
fi
export HELM_BIN
if version="$("${HELM_BIN}" version --short 2>&1)"; then ok "helm ${version}"; else ko "helm at ${HELM_BIN} does not run"; fi

npm_ci_cached "${ROOT}/test/slo" || { ko "npm ci in test/slo"; finish; }

# --- node:test suites: rules, promtool cases, dashboards, chart --------------------------------
node_tests "${ROOT}"/test/slo/*.test.mjs

finish
