#!/usr/bin/env bash
# The README's quick start as a user meets it: `npm run local` serves, stops cleanly on
# SIGTERM, SIGINT and a hangup, and names the variable when its port is taken.
# Usage: bash test/quickstart/run.sh        Prints "N passed, M failed, K skipped".
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "${HERE}/../../scripts/lib.sh"
use_node24
ensure_deps
ensure_cmds redis-server:redis-server || { skip "quick start" "${ENSURE_CMDS_WHY}"; finish; }
node_tests --test-concurrency=1 "${HERE}"/*.test.mjs
finish
