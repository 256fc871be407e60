#!/usr/bin/env bash
# Validates .gitlab-ci.yml locally with gitlab-ci-local (GitLab JSON schema, workflow rules,
# rules:changes, per-pipeline job sets, needs) and tests the scripts the jobs run: the Node-image
# jobs against local fakes of the remote APIs (pipeline.test.mjs), the image jobs in busybox
# stand-ins of their images against argument-checking fakes of BuildKit, Trivy, crane and cosign
# (jobs.test.mjs), and the Node-image jobs in the Debian stand-in of test/image (standin.test.mjs).
# What cannot run outside GitLab is listed in docs/pipeline.md.
# Usage: bash .gitlab/tests/run.sh        Prints "N passed, M failed, K skipped".
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "${HERE}/../../scripts/lib.sh"
use_node24
ensure_deps
ensure_cmds git:git curl:curl rsync:rsync busybox:busybox-static || { skip "pipeline suite" "${ENSURE_CMDS_WHY}"; finish; }

log "gitlab-ci-local $(node "${REPO_ROOT}/node_modules/.bin/gitlab-ci-local" --version 2>/dev/null)"
node_tests --test-concurrency=1 "${HERE}"/*.test.mjs
finish
