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
stamp="$tests/node_modules/.package-lock.json"
if [[ ! -f $stamp || $tests/package-lock.json -nt $stamp ]]; then
  log "installing pipeline test tools (gitlab-ci-local)"
  (cd "$tests" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci in $tests failed"
fi

tap=$(mktemp)
trap 'rm -f "$tap"' EXIT
log "gitlab-ci-local $(node "$tests/node_modules/.bin/gitlab-ci-local" --version 2>/dev/null)"
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "$tests/pipeline.test.mjs"
rc=$?
passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap")
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap")
printf '%s passed, %s failed\n' "${passed:-0}" "${failed:-1}"
[[ $rc == 0 && ${passed:-0} -gt 0 ]]
