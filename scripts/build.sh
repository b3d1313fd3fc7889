#!/usr/bin/env bash
# Configures and builds irm into ./build (override with IRM_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${IRM_BUILD_DIR:-build}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${IRM_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build "$build" -j "$(nproc)"
