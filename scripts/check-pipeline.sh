#!/usr/bin/env bash
# Validates .gitlab-ci.yml locally with gitlab-ci-local (GitLab JSON schema,
# workflow rules, per-pipeline job sets, needs) and tests the scripts the jobs
# run (WIF login, digest promotion) against local fakes of the remote APIs.
# What cannot run outside GitLab is listed in docs/pipeline.md.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
use_node24
ensure_cmds git:git curl:curl rsync:rsync

tests="$here/pipeline-tests"
npm_ci_cached "$tests" || { ko "npm ci in $tests (gitlab-ci-local)"; finish; }
log "gitlab-ci-local $(node "$tests/node_modules/.bin/gitlab-ci-local" --version 2>/dev/null)"
node_tests --test-concurrency=1 "$tests/pipeline.test.mjs"
finish
