#!/bin/sh
# build:image, in the rootless BuildKit image (busybox sh). Builds the
# Dockerfile once and keeps the result as an OCI image layout in image-oci/
# (BuildKit's OCI exporter writes a tar; Trivy and crane read the layout as a
# directory). Writes build.env: IMAGE_REPOSITORY, IMAGE_DIGEST, SOURCE_DATE_EPOCH.
#
# Reproducible: SOURCE_DATE_EPOCH is the commit time and the exporter rewrites
# every file timestamp to it, so one commit gives one digest however often it
# is built. The build cache goes to the mutable cache repository, never to the
# immutable release repository; only default-branch pushes may write it (WIF
# gives other refs no token at all).
set -eu
: "${CI_COMMIT_SHA:?}" "${CI_COMMIT_TIMESTAMP:?}" "${IMAGE_REPOSITORY:?}"
here=$(cd "$(dirname "$0")" && pwd)

# ISO 8601 (GitLab: 2026-01-31T16:47:55+01:00 or ...Z) to epoch seconds;
# busybox date cannot parse offsets.
epoch=$(echo "$CI_COMMIT_TIMESTAMP" | awk '
  match($0, /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}/) {
    y = substr($0, 1, 4) + 0; m = substr($0, 6, 2) + 0; d = substr($0, 9, 2) + 0
    H = substr($0, 12, 2) + 0; M = substr($0, 15, 2) + 0; S = substr($0, 18, 2) + 0
    rest = substr($0, 20); sub(/^\.[0-9]+/, "", rest); off = 0
    if (rest ~ /^[+-][0-9][0-9]:?[0-9][0-9]$/) {
      gsub(/:/, "", rest); off = (substr(rest, 2, 2) * 3600 + substr(rest, 4, 2) * 60) * (substr(rest, 1, 1) == "-" ? -1 : 1)
    } else if (rest != "Z" && rest != "") { exit 1 }
    if (m <= 2) { y -= 1; m += 12 }   # days from civil (proleptic Gregorian)
    days = 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d - 719469
    print days * 86400 + H * 3600 + M * 60 + S - off; ok = 1
  }
  END { if (!ok) exit 1 }') || { echo "CI_COMMIT_TIMESTAMP is not ISO 8601: $CI_COMMIT_TIMESTAMP" >&2; exit 1; }

cache_ref="${CACHE_REPOSITORY_URL:?}/kv-api:buildcache"
set --
if [ "${CI_COMMIT_BRANCH:-}" = "${CI_DEFAULT_BRANCH:-main}" ] && [ "${CI_PIPELINE_SOURCE:-}" = push ]; then
  sh "$here/gcp-wif-login.sh"
  set -- --import-cache "type=registry,ref=$cache_ref" \
    --export-cache "type=registry,ref=$cache_ref,mode=max,image-manifest=true,oci-mediatypes=true"
fi

rm -rf image-oci image.oci.tar build-metadata.json
buildctl-daemonless.sh build \
  --frontend dockerfile.v0 \
  --local context=. \
  --local dockerfile=. \
  --opt platform=linux/amd64 \
  --opt build-arg:SOURCE_DATE_EPOCH="$epoch" \
  --opt build-arg:VERSION="0.0.0-${CI_COMMIT_SHORT_SHA:-$(echo "$CI_COMMIT_SHA" | cut -c1-8)}" \
  --opt build-arg:REVISION="$CI_COMMIT_SHA" \
  --opt build-arg:SOURCE="${CI_PROJECT_URL:-unknown}" \
  --opt build-arg:CREATED="$CI_COMMIT_TIMESTAMP" \
  "$@" \
  --output "type=oci,dest=image.oci.tar,name=kv-api:$CI_COMMIT_SHA,rewrite-timestamp=true" \
  --metadata-file build-metadata.json

digest=$(tr -d '\n' < build-metadata.json | sed -n 's/.*"containerimage\.digest"[[:space:]]*:[[:space:]]*"\(sha256:[a-f0-9]\{64\}\)".*/\1/p')
[ -n "$digest" ] || { echo "no containerimage.digest in build-metadata.json" >&2; exit 1; }
mkdir image-oci
tar -xf image.oci.tar -C image-oci
rm -f image.oci.tar
# The layout must describe the very manifest BuildKit reported, and that blob
# must hash to it: the digest travels on only if the bytes carry it.
grep -q "\"digest\"[[:space:]]*:[[:space:]]*\"$digest\"" image-oci/index.json \
  || { echo "image-oci/index.json does not reference $digest" >&2; exit 1; }
blob="image-oci/blobs/sha256/${digest#sha256:}"
if [ ! -f "$blob" ] || [ "sha256:$(sha256sum "$blob" | cut -d' ' -f1)" != "$digest" ]; then
  echo "manifest blob of $digest missing or corrupt in image-oci/" >&2; exit 1
fi

printf 'IMAGE_REPOSITORY=%s\nIMAGE_DIGEST=%s\nSOURCE_DATE_EPOCH=%s\n' "$IMAGE_REPOSITORY" "$digest" "$epoch" > build.env
cat build.env
