#!/usr/bin/env bash
# Proves the Kubernetes delivery: helm lint + render of charts/kv-api, strict schema
# validation (Kubernetes 1.33 + CRDs), Helmfile releases and Argo CD manifests.
# Installs what it needs (pinned helm, npm lockfile) under .cache/ and node_modules/.
# Usage: bash scripts/check-helm.sh        Prints "N passed, N failed"; non-zero on failure.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "${ROOT}/scripts/lib.sh"
TESTS="${ROOT}/scripts/helm-tests"

# An explicit HELM_BIN wins; otherwise always the pinned binary, for reproducible renders.
if [[ -z "${HELM_BIN:-}" ]]; then
  HELM_BIN="$(install_helm)" || { ko "could not install helm ${HELM_VERSION}"; finish; }
fi
export HELM_BIN
"${HELM_BIN}" version --short >&2 || { ko "helm at ${HELM_BIN} does not run"; finish; }

npm_ci_cached "${TESTS}" || { ko "npm ci in ${TESTS}"; finish; }

ensure_cmds openssl:openssl
node_tests "${TESTS}"/*.test.mjs
finish
