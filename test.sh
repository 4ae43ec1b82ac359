#!/usr/bin/env bash
# The test command (see README): the whole suite, unit and integration tests, on real
# PostgreSQL servers started by the tests themselves.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [[ -f coordinator/src/test/node/package.json && ! -d coordinator/src/test/node/node_modules ]]; then
  (cd coordinator/src/test/node && npm install --no-audit --no-fund --silent)
fi
exec mvn -B -ntp verify "$@"
