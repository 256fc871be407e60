#!/usr/bin/env bash
# The production render boots: builds the image from the real Dockerfile with buildah (as
# test/image/run.sh does), then runs test/boot/boot.test.mjs in a private network namespace:
# for every Helmfile environment, kv-api rendered as Helmfile would, its container started from
# that image with the rendered argv, env, mounted files, UID/GID and read-only root, against
# a TLS Redis Cluster with IAM token auth, probed as the kubelet would. See test/boot/README.md.
#
# Env: KV_IMAGE_CACHE_DIR  buildah store (default /var/tmp/kv-api-image)
#      BOOT_HELMFILE       state file to render (default helmfile.d/helmfile.yaml.gotmpl)
# Prints "N passed, M failed, K skipped".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/lib.sh
source "$here/../../scripts/lib.sh"
# shellcheck source=test/image/lib.sh
source "$here/../image/lib.sh"

if [[ $(id -u) != 0 ]]; then
  skip "production render boot" "needs root for buildah's vfs store, mount, PID and network namespaces"
  finish
fi
ensure_cmds buildah:buildah debootstrap:debootstrap redis-server:redis-server redis-cli:redis-tools \
  python3:python3 unshare:util-linux ip:iproute2 openssl:openssl || { skip "production render boot" "$ENSURE_CMDS_WHY"; finish; }
use_node24
ensure_deps
if [[ -z "${HELM_BIN:-}" ]]; then
  HELM_BIN="$(install_helm)" || { ko "could not install helm ${HELM_VERSION}"; finish; }
fi
export HELM_BIN

tag="kv-api-boot:$$" ctr="" work=$(mktemp -d)
cleanup() {
  [[ -n $ctr ]] && bh rm "$ctr" >/dev/null 2>&1
  bh rmi "localhost/$tag" >/dev/null 2>&1
  bh rmi --prune >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

log "stand-in base images"
mapfile -t bases < <("$here/../image/build-standin-base.sh")
[[ ${#bases[@]} == 2 ]] || { ko "stand-in base images built"; finish; }

log "building $REPO_ROOT/Dockerfile"
start=$(date +%s)
if bh bud --isolation chroot --pull=never \
    --build-arg BUILD_IMAGE="${bases[0]}" --build-arg RUNTIME_IMAGE="${bases[1]}" \
    -f "$REPO_ROOT/Dockerfile" -t "$tag" "$REPO_ROOT" >"$work/build.log" 2>&1; then
  ok "image builds from the Dockerfile ($(($(date +%s) - start))s)"
else
  ko "image builds from the Dockerfile"; tail -n 30 "$work/build.log" | sed 's/^/       /'
  finish
fi

bh inspect --type image "localhost/$tag" >"$work/inspect.json"
node -e 'const i=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.stdout.write(JSON.stringify(i.OCIv1.config))' \
  "$work/inspect.json" >"$work/config.json"
digest=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).FromImageDigest' "$work/inspect.json")
[[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || { ko "image digest of localhost/$tag (got '$digest')"; finish; }
ctr=$(bh from --pull=never "localhost/$tag") && mnt=$(bh mount "$ctr") || { ko "mount the image root"; finish; }

# BOOT_PATCH_APP (mutation checks only): a script run on the container's root before start.
if [[ -n ${BOOT_PATCH_APP:-} ]]; then bash -c "$BOOT_PATCH_APP" _ "$mnt" || { ko "BOOT_PATCH_APP"; finish; }; fi

log "booting the rendered container for every environment (private network namespace)"
BOOT_ROOTFS="$mnt" BOOT_IMAGE_CONFIG="$work/config.json" BOOT_IMAGE_DIGEST="$digest" \
  unshare --net bash -c 'source "$1/scripts/lib.sh"; ip link set lo up; node_tests "$2"; finish' \
  _ "$REPO_ROOT" "$here/boot.test.mjs" | tee "$work/boot.log"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$work/boot.log" | tail -n1)
if [[ -n $line ]]; then
  read -r np _ nf _ ns _ <<<"${line//,/}"
  tally "$np" "$nf" "$ns"
else
  ko "boot test produced no summary"
fi
finish
