#!/usr/bin/env bash
# The production render boots: builds the image from the real Dockerfile with buildah (as
# test/image/run.sh does), then runs test/boot/boot.test.mjs in a private network namespace:
# for every Helmfile environment, kv-api rendered as Helmfile would, its container started from
# that image with the rendered argv, env, mounted files, UID/GID and read-only root, against
# a TLS Redis Cluster with IAM token auth, probed as the kubelet would.
#
# Env: KV_IMAGE_CACHE_DIR  buildah store (default /var/tmp/kv-api-image)
#      BOOT_HELMFILE       state file to render (default helmfile.d/helmfile.yaml.gotmpl)
#      BOOT_ENVIRONMENTS   space-separated environments (default: every one of the state file)
# Prints "N passed, M failed, K skipped".
set -uo pipefail
# shellcheck source=test/boot/lib.sh
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

boot_requirements || { skip "production render boot" "$BOOT_WHY"; finish; }

tag="kv-api-boot:$$" work=$(mktemp -d)
cleanup() {
  bh rmi "localhost/$tag" >/dev/null 2>&1
  bh rmi --prune >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

log "building $REPO_ROOT/Dockerfile"
start=$(date +%s)
if boot_build_image "$tag" "$work"; then ok "image builds from the Dockerfile ($(($(date +%s) - start))s)"; else
  ko "image builds from the Dockerfile"; finish
fi

log "booting the rendered container for every environment (private network namespace)"
boot_run "$tag" "$work" | tee "$work/boot.log"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$work/boot.log" | tail -n1)
if [[ -n $line ]]; then
  read -r np _ nf _ ns _ <<<"${line//,/}"
  tally "$np" "$nf" "$ns"
else
  ko "boot test produced no summary"
fi
finish
