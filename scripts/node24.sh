#!/usr/bin/env bash
# Runs a command with Node 24 first on PATH: scripts/node24.sh node --version
set -euo pipefail
source "$(dirname "$0")/lib.sh"
use_node24
exec "$@"
