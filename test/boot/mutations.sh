#!/usr/bin/env bash
# Proves that test/boot/boot.test.mjs can fail: boots the production render once per
# mutation (a broken copy of charts/ and helmfile.d/, or a patched image root) and reports
# whether the boot test failed where it must, and passed for the controls. Not part of
# npm test (about 6 minutes: a wrong probe path waits out the startup probe, 30 x 2 s).
# Usage: bash test/boot/mutations.sh [NAME...]     Prints "N passed, M failed, K skipped".
set -uo pipefail
# shellcheck source=test/boot/lib.sh
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

boot_requirements || { skip "boot mutations" "$BOOT_WHY"; finish; }
export BOOT_ENVIRONMENTS=${BOOT_ENVIRONMENTS:-production}

# An app that writes /tmp/kv-boot-probe as it starts (prepended to the image's main.js).
writes_tmp='sed -i "1i require(\"node:fs\").writeFileSync(\"/tmp/kv-boot-probe\", \"x\");" "$1/app/dist/main.js"'
# name @ expect @ file under the copy @ perl substitution @ image root patch
mutations=(
  "probe-path@fail@charts/kv-api/templates/_helpers.tpl@s{path: \{\{ \.probe\.path \}\}}{path: {{ .probe.path }}z}@"
  "container-port@fail@charts/kv-api/templates/deployment.yaml@s{containerPort: \{\{ \.Values\.ports\.http \}\}}{containerPort: {{ add .Values.ports.http 1 }}}@"
  "configmap-key-auth@fail@charts/kv-api/templates/configmap.yaml@s{REDIS_AUTH_MODE:}{REDIS_AUTHMODE:}@"
  "configmap-key-ca@fail@charts/kv-api/templates/configmap.yaml@s{REDIS_TLS_CA_FILE:}{REDIS_TLS_CAFILE:}@"
  "liveness-port@fail@charts/kv-api/templates/deployment.yaml@s{probes\.liveness \"port\" \"management\"}{probes.liveness \"port\" \"http\"}@"
  "ca-mount-path@fail@charts/kv-api/templates/deployment.yaml@s{mountPath: \{\{ \.Values\.redis\.tls\.ca\.mountPath \}\}}{mountPath: /etc/kv-api/ca}@"
  "float-in-configmap@fail@charts/kv-api/templates/configmap.yaml@s{MAX_VALUE_BYTES: .*}{MAX_VALUE_BYTES: {{ .Values.config.limits.maxValueBytes \| quote }}}@"
  "writes-tmp (control: /tmp is an emptyDir)@pass@@@$writes_tmp"
  "writes-tmp-without-emptydir@fail@charts/kv-api/templates/deployment.yaml@s{ *- name: tmp\n *mountPath: /tmp\n}{}@$writes_tmp"
  "writes-tmp-without-emptydir-rw-root (control)@pass@charts/kv-api/templates/deployment.yaml@s{ *- name: tmp\n *mountPath: /tmp\n}{}; s{readOnlyRootFilesystem: true}{readOnlyRootFilesystem: false}@$writes_tmp"
)

tag="kv-api-boot-mut:$$" work=$(mktemp -d)
cleanup() { bh rmi "localhost/$tag" >/dev/null 2>&1; bh rmi --prune >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT
log "building $REPO_ROOT/Dockerfile"
boot_build_image "$tag" "$work" || { ko "image builds from the Dockerfile"; finish; }

for m in "${mutations[@]}"; do
  IFS='@' read -r name expect file subst patch <<<"$m"
  # shellcheck disable=SC2076 # a literal word of the argument list
  [[ $# -gt 0 && ! " $* " =~ " ${name%% *} " ]] && continue
  copy="$work/copy-${name%% *}" && rm -rf "$copy" && mkdir -p "$copy"
  cp -r "$REPO_ROOT/charts" "$REPO_ROOT/helmfile.d" "$copy/"
  if [[ -n $file ]]; then
    perl -0pi -e "$subst" "$copy/$file"
    if cmp -s "$REPO_ROOT/$file" "$copy/$file"; then ko "$name: the mutation did not change $file"; continue; fi
  fi
  log "mutation $name (expect the boot test to ${expect})"
  BOOT_HELMFILE="$copy/helmfile.d/helmfile.yaml.gotmpl" boot_run "$tag" "$work" "$patch" >"$work/out.log" 2>&1
  rc=$?
  first=$(grep -m1 -E '^\s*✖ ' "$work/out.log" | sed 's/^ *//' | cut -c1-150)
  why=$(grep -m1 -E 'Error|error:|failed [0-9]+ times|exited' "$work/out.log" | sed 's/^ *//' | cut -c1-200)
  # What the container itself said, when it said why.
  said=$(grep -v 'write attempt' "$work/out.log" | grep -m1 -A1 -E 'invalid configuration|EROFS|cannot read|self.signed|unable to (verify|get)|NOAUTH|WRONGPASS' \
    | tr -s ' \n' ' ' | cut -c1-200)
  if [[ $expect == fail && $rc != 0 ]]; then ok "$name: the boot test fails at: ${first:-?}"; printf '       %s\n' "$why" ${said:+"container: $said"}
  elif [[ $expect == pass && $rc == 0 ]]; then ok "$name: the boot test passes"
  else ko "$name: expected the boot test to $expect (exit $rc)"; tail -n 20 "$work/out.log" | sed 's/^/       /'; fi
done
finish
