#!/usr/bin/env bash
# The main job on a fresh machine: installs prerequisites, then runs `sluice demo` — a local control
# plane, the controllers, and a sample Git repository reconciled into the cluster. Ctrl-C stops the
# controllers; `bin/sluice dev down` stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec bin/sluice demo "$@"
