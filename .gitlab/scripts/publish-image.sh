#!/bin/sh
# publish:image, in the crane image (busybox sh), default branch only. Pushes
# the scanned OCI layout as :<commit sha>, requires the registry to report
# IMAGE_DIGEST for it, then in this same job signs that digest keylessly,
# attests the SBOM (CycloneDX) and a SLSA v1 provenance, and verifies all three.
# A rerun finds the tag already at IMAGE_DIGEST and does not push again (tags
# are immutable); a tag at any other digest fails the job.
set -eu
: "${IMAGE_DIGEST:?IMAGE_DIGEST missing: build:image dotenv}" "${CI_COMMIT_SHA:?}"
# shellcheck source=.gitlab/scripts/sign-lib.sh
. "$(cd "$(dirname "$0")" && pwd)/sign-lib.sh"
ref="$IMAGE_REPOSITORY@$IMAGE_DIGEST"
tag="$IMAGE_REPOSITORY:$CI_COMMIT_SHA"
[ -f sbom.cdx.json ] || { echo "sbom.cdx.json missing: scan:image artifacts" >&2; exit 1; }

if existing=$(crane digest "$tag" 2>/dev/null); then
  [ "$existing" = "$IMAGE_DIGEST" ] \
    || { echo "$tag already holds $existing, not $IMAGE_DIGEST: tags are immutable, refusing" >&2; exit 1; }
  echo "$tag already at $IMAGE_DIGEST"
else
  pushed=$(crane push image-oci "$tag")
  [ "$pushed" = "$ref" ] || { echo "registry reports $pushed for the push, expected $ref" >&2; exit 1; }
  echo "pushed $ref"
fi

# SLSA v1 provenance: what was built, from which commit, by which job.
cat > provenance.json <<JSON
{
  "buildDefinition": {
    "buildType": "$CI_SERVER_URL/$CI_PROJECT_PATH/-/blob/$CI_COMMIT_SHA/.gitlab-ci.yml",
    "externalParameters": { "source": "${CI_PROJECT_URL:-}", "ref": "$git_ref", "revision": "$CI_COMMIT_SHA", "sourceDateEpoch": "${SOURCE_DATE_EPOCH:-}" },
    "internalParameters": { "pipeline": "${CI_PIPELINE_URL:-}", "job": "${CI_JOB_URL:-}" },
    "resolvedDependencies": [ { "uri": "git+${CI_PROJECT_URL:-}@$git_ref", "digest": { "gitCommit": "$CI_COMMIT_SHA" } } ]
  },
  "runDetails": {
    "builder": { "id": "$CI_SERVER_URL/$CI_PROJECT_PATH/-/jobs/${CI_JOB_ID:-0}" },
    "metadata": { "invocationId": "${CI_JOB_URL:-}" }
  }
}
JSON

cosign sign "$ref"
cosign attest --type cyclonedx --predicate sbom.cdx.json "$ref"
cosign attest --type slsaprovenance1 --predicate provenance.json "$ref"
verify "$ref" "$identity"
for type in cyclonedx slsaprovenance1; do
  cosign verify-attestation --type "$type" --certificate-identity "$identity" \
    --certificate-oidc-issuer "$CI_SERVER_URL" "$ref" >/dev/null
done
printf 'IMAGE_REPOSITORY=%s\nIMAGE_DIGEST=%s\n' "$IMAGE_REPOSITORY" "$IMAGE_DIGEST" > publish.env
echo "published, signed and attested $ref as $identity"
