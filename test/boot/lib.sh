# shellcheck shell=bash
# Shared by test/boot/run.sh and test/boot/mutations.sh (sourced, not executed): the image
# build and one boot of the rendered container for every Helmfile environment.
boot_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib.sh
source "$boot_here/../../scripts/lib.sh"
# shellcheck source=test/image/lib.sh
source "$boot_here/../image/lib.sh"

# boot_requirements: returns 1 with BOOT_WHY set when this machine cannot run the boot.
# shellcheck disable=SC2034 # BOOT_WHY is the caller's
boot_requirements() {
  if [[ $(id -u) != 0 ]]; then
    BOOT_WHY="needs root for buildah's vfs store, mount, PID and network namespaces"
    return 1
  fi
  ensure_cmds buildah:buildah debootstrap:debootstrap redis-server:redis-server redis-cli:redis-tools \
    python3:python3 unshare:util-linux ip:iproute2 openssl:openssl || { BOOT_WHY=$ENSURE_CMDS_WHY; return 1; }
  use_node24
  ensure_deps
  if [[ -z "${HELM_BIN:-}" ]]; then
    HELM_BIN="$(install_helm)" || { BOOT_WHY="could not install helm ${HELM_VERSION}"; return 1; }
  fi
  export HELM_BIN
}

# boot_build_image TAG WORK: builds the Dockerfile on the stand-in bases (as test/image/run.sh);
# writes WORK/config.json (OCI config) and sets BOOT_DIGEST. Prints the build log on failure.
boot_build_image() {
  local tag=$1 work=$2 bases
  mapfile -t bases < <("$boot_here/../image/build-standin-base.sh")
  [[ ${#bases[@]} == 2 ]] || { echo "stand-in base images not built" >&2; return 1; }
  if ! bh bud --isolation chroot --pull=never \
      --build-arg BUILD_IMAGE="${bases[0]}" --build-arg RUNTIME_IMAGE="${bases[1]}" \
      -f "$REPO_ROOT/Dockerfile" -t "$tag" "$REPO_ROOT" >"$work/build.log" 2>&1; then
    tail -n 30 "$work/build.log" | sed 's/^/       /'
    return 1
  fi
  bh inspect --type image "localhost/$tag" >"$work/inspect.json" || return 1
  node -e 'const i=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.stdout.write(JSON.stringify(i.OCIv1.config))' \
    "$work/inspect.json" >"$work/config.json" || return 1
  BOOT_DIGEST=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).FromImageDigest' "$work/inspect.json")
  [[ $BOOT_DIGEST =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "no image digest (got '$BOOT_DIGEST')" >&2; return 1; }
}

# boot_run TAG WORK [PATCH]: a fresh container root of TAG, PATCH (a bash snippet, $1 = the
# root; mutation checks only) applied to it, then boot.test.mjs in a private network
# namespace. Prints the test report; its last line is "N passed, M failed, K skipped".
boot_run() {
  local tag=$1 work=$2 patch=${3:-} ctr mnt rc
  if ! ctr=$(bh from --pull=never "localhost/$tag") || ! mnt=$(bh mount "$ctr"); then
    echo "cannot mount localhost/$tag" >&2
    return 1
  fi
  if [[ -n $patch ]]; then bash -c "$patch" _ "$mnt" || { bh rm "$ctr" >/dev/null 2>&1; return 1; }; fi
  BOOT_ROOTFS="$mnt" BOOT_IMAGE_CONFIG="$work/config.json" BOOT_IMAGE_DIGEST="$BOOT_DIGEST" \
    unshare --net bash -c 'source "$1/scripts/lib.sh"; ip link set lo up; node_tests "$2"; finish' \
    _ "$REPO_ROOT" "$boot_here/boot.test.mjs"
  rc=$?
  bh rm "$ctr" >/dev/null 2>&1
  return "$rc"
}
