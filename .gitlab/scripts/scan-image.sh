#!/bin/sh
# scan:image, in the Trivy image (busybox sh). Scans the OCI layout that
# build:image wrote, by directory (Trivy opens an OCI layout only as a
# directory), after checking it holds IMAGE_DIGEST. Three passes over the same
# bytes: CycloneDX SBOM, GitLab report (never fails), then the gate.
set -eu
: "${IMAGE_DIGEST:?IMAGE_DIGEST missing: build:image dotenv}"
layout=image-oci
[ -f "$layout/index.json" ] || { echo "$layout/index.json missing: build:image artifacts" >&2; exit 1; }
grep -q "\"digest\"[[:space:]]*:[[:space:]]*\"$IMAGE_DIGEST\"" "$layout/index.json" \
  || { echo "$layout does not hold $IMAGE_DIGEST: refusing to scan other bytes" >&2; exit 1; }
trivy image --input "$layout" --scanners vuln --format cyclonedx --output sbom.cdx.json
trivy image --input "$layout" --scanners vuln --exit-code 0 --format template \
  --template "@/contrib/gitlab.tpl" --output gl-container-scanning-report.json
# The gate: a fixable HIGH or CRITICAL finding fails the pipeline.
trivy image --input "$layout" --scanners vuln --exit-code 1 --severity HIGH,CRITICAL --ignore-unfixed
echo "scanned $IMAGE_DIGEST"
