#!/usr/bin/env bash
# Runs every test on a fresh machine: installs prerequisites, then `npm test`
# (type-check, unit tests and end-to-end tests on one local control plane).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npm test -- "$@"
