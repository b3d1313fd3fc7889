#!/usr/bin/env bash
# Sets up, builds and runs irm's normal test suite (unit, end-to-end, crash). The long modes
# (label "long") are left out; run them with: ctest --test-dir build -L long.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir "${IRM_BUILD_DIR:-build}" -j "$(nproc)" --output-on-failure -LE long "$@"
