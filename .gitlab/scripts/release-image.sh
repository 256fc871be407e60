#!/bin/sh
# release:image, in the crane image (busybox sh), on tags vX.Y.Z. Nothing is
# rebuilt: the digest main published for this commit (:<commit sha>, signed by
# main's identity) is tagged X.Y.Z and signed again with the tag's identity.
set -eu
: "${CI_COMMIT_TAG:?}" "${CI_COMMIT_SHA:?}"
# shellcheck source=.gitlab/scripts/sign-lib.sh
. "$(cd "$(dirname "$0")" && pwd)/sign-lib.sh"
version=${CI_COMMIT_TAG#v}
digest=$(crane digest "$IMAGE_REPOSITORY:$CI_COMMIT_SHA") \
  || { echo "no image $IMAGE_REPOSITORY:$CI_COMMIT_SHA: tag a commit whose image main published (the last one that changed a build input)" >&2; exit 1; }
ref="$IMAGE_REPOSITORY@$digest"
verify "$ref" "$main_identity" \
  || { echo "$ref carries no signature of $main_identity: refusing to release it" >&2; exit 1; }
if existing=$(crane digest "$IMAGE_REPOSITORY:$version" 2>/dev/null); then
  [ "$existing" = "$digest" ] \
    || { echo "$IMAGE_REPOSITORY:$version already holds $existing: tags are immutable, refusing" >&2; exit 1; }
else
  crane tag "$ref" "$version"
fi
cosign sign "$ref"
verify "$ref" "$identity"
echo "released $ref as $IMAGE_REPOSITORY:$version, signed as $identity"
