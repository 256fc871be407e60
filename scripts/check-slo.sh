#!/usr/bin/env bash
# Proves the SLO-as-code layer:
#   - test/slo/*.test.mjs (node:test): promtool check/test rules case by case, mutation
#     checks of the burn-rate thresholds, rule and dashboard lint (PromQL parse, metric
#     allow-list, runbooks), and helm template of the PrometheusRule/dashboard ConfigMaps;
#   - modules/monitoring + its Terragrunt unit: tfcheck --strict and terraform fmt.
# Installs what it needs (prometheus package for promtool, pinned npm deps, pinned helm).
# Usage: bash scripts/check-slo.sh        Prints "N passed, N failed"; non-zero on failure.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}" || exit 2
# shellcheck source=scripts/lib.sh
source "${ROOT}/scripts/lib.sh"

ensure_cmds promtool:prometheus terraform:terraform
if [[ -z "${HELM_BIN:-}" ]]; then
  HELM_BIN="$(install_helm)" || { ko "could not install helm ${HELM_VERSION}"; finish; }
fi
export HELM_BIN
if version="$("${HELM_BIN}" version --short 2>&1)"; then ok "helm ${version}"; else ko "helm at ${HELM_BIN} does not run"; fi

npm_ci_cached "${ROOT}/test/slo" || { ko "npm ci in test/slo"; finish; }

# --- node:test suites: rules, promtool cases, dashboards, chart --------------------------------
node_tests "${ROOT}"/test/slo/*.test.mjs

# --- Terraform: Cloud Monitoring module and its unit --------------------------------------
export TF_CLI_CONFIG_FILE=/dev/null
tfcheck="${TFCHECK:-${ROOT}/../shared/tools/tfcheck/tfcheck}"
if [[ ! -x "${tfcheck}" ]]; then
  ko "tfcheck not found at ${tfcheck} (../shared must sit beside the repository)"
elif out=$("${tfcheck}" --strict modules/monitoring live/prod/europe-west1/monitoring 2>&1); then
  ok "tfcheck --strict modules/monitoring live/prod/europe-west1/monitoring: $(tail -n1 <<<"${out}")"
else
  ko "tfcheck --strict modules/monitoring live/prod/europe-west1/monitoring"
  printf '%s\n' "${out}"
fi
if out=$(terraform fmt -check -recursive -diff modules/monitoring 2>&1); then
  ok "terraform fmt -check -recursive modules/monitoring"
else
  ko "terraform fmt -check -recursive modules/monitoring"
  printf '%s\n' "${out}"
fi
unit=live/prod/europe-west1/monitoring/terragrunt.hcl
if terraform fmt - <"${unit}" 2>/dev/null | diff -u "${unit}" - >/dev/null; then ok "hcl format ${unit}"; else ko "hcl format ${unit}"; fi

finish
