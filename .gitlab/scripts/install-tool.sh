#!/bin/sh
# Installs one pinned release binary and prints its path: cosign at
# ${TOOL}_VERSION, refused unless its SHA-256 equals ${TOOL}_SHA256 (both set
# in .gitlab-ci.yml, moved by Renovate). POSIX sh; downloads with curl, wget or
# Node's fetch, whichever the job image has (node:*-slim has neither of the
# first two). Helm comes from scripts/lib.sh install_helm instead, everywhere.
#
# Usage: sh install-tool.sh cosign
# Env:   TOOLS_DIR (default ${CI_PROJECT_DIR:-.}/.tools), COSIGN_URL
#        (download override for tests)
set -eu
tool=${1:?usage: install-tool.sh cosign}
dir=${TOOLS_DIR:-${CI_PROJECT_DIR:-.}/.tools}
case $tool in
  cosign)
    version=${COSIGN_VERSION:?COSIGN_VERSION is not set}; sum=${COSIGN_SHA256:?COSIGN_SHA256 is not set}
    url=${COSIGN_URL:-https://github.com/sigstore/cosign/releases/download/$version/cosign-linux-amd64} ;;
  *) echo "install-tool.sh: unknown tool $tool" >&2; exit 2 ;;
esac
bin="$dir/$tool-$version/$tool"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
mkdir -p "${bin%/*}"
tmp="$bin.download"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL --retry 3 -o "$tmp" "$url"
elif command -v wget >/dev/null 2>&1; then
  wget -q -O "$tmp" "$url"
else
  node -e 'fetch(process.argv[1]).then(async (r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); require("fs").writeFileSync(process.argv[2], Buffer.from(await r.arrayBuffer())); }).catch((e) => { console.error(e.message); process.exit(1); })' "$url" "$tmp"
fi || { rm -f "$tmp"; echo "install-tool.sh: could not download $url" >&2; exit 1; }
got=$(sha256sum "$tmp" | cut -d' ' -f1)
if [ "$got" != "$sum" ]; then
  rm -f "$tmp"
  echo "install-tool.sh: $tool $version has SHA-256 $got, expected $sum: refusing it" >&2
  exit 1
fi
mv "$tmp" "$bin"
chmod 0755 "$bin"
echo "installed $tool $version (sha256 $sum)" >&2
echo "$bin"
