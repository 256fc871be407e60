#!/usr/bin/env bash
# GitOps promotion, run by the promote:production job on the default branch
# after the image is scanned, pushed and signed. Proposes the new digest for
# the environment's Helmfile values as a merge request; Argo CD syncs after the
# merge. It never talks to the cluster. See docs/pipeline.md#promotion.
#
# Inputs (CI): IMAGE_REPOSITORY, IMAGE_DIGEST (dotenv from publish:image),
#   PROMOTION_TOKEN (protected, masked group or project access token, api scope),
#   CI_API_V4_URL, CI_PROJECT_ID, CI_DEFAULT_BRANCH, CI_COMMIT_SHA, CI_PIPELINE_ID.
# Optional: PROMOTION_ENVIRONMENT (production), PROMOTION_VALUES_FILE,
#   PROMOTION_KEY_PATH (kvApi.image.digest).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

[[ ${IMAGE_DIGEST:-} =~ ^sha256:[a-f0-9]{64}$ ]] \
  || { echo "IMAGE_DIGEST missing or malformed (expected sha256:<64 hex>): '${IMAGE_DIGEST:-}'" >&2; exit 1; }
[[ -n ${PROMOTION_TOKEN:-} ]] \
  || { echo "PROMOTION_TOKEN is not available: it must be a protected, masked variable and this ref protected" >&2; exit 1; }
node --version | grep -qE '^v(2[0-9]|[3-9][0-9])\.' || { echo "Node >= 20 required (fetch)" >&2; exit 1; }

exec node "$here/../.gitlab/scripts/promotion-mr.mjs"
