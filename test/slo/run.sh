#!/usr/bin/env bash
# The SLO-as-code suites (node:test, test/slo/*.test.mjs): promtool check rules, the promtool
# tests beside the rules (charts/kv-api/files/rules/tests/) one case at a time, mutation checks
# of the burn-rate thresholds, rule and dashboard lint (PromQL parse, metric allow-list,
# runbooks), every panel either evaluable by the e2e panel check or listed in
# panels-unavailable.json, and helm template of the PrometheusRule and dashboard ConfigMaps.
# modules/monitoring is tested with the other modules by test/terraform/run.sh.
# Usage: bash test/slo/run.sh        Prints "N passed, M failed, K skipped".
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "${HERE}/../../scripts/lib.sh"
use_node24
ensure_deps

ensure_cmds promtool:prometheus || { skip "SLO suites" "${ENSURE_CMDS_WHY}"; finish; }
if [[ -z "${HELM_BIN:-}" ]]; then
  HELM_BIN="$(install_helm)" || { ko "could not install helm ${HELM_VERSION}"; finish; }
fi
export HELM_BIN
if version="$("${HELM_BIN}" version --short 2>&1)"; then ok "helm ${version}"; else ko "helm at ${HELM_BIN} does not run"; fi

node_tests "${HERE}"/*.test.mjs
finish
