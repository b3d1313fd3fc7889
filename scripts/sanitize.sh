#!/usr/bin/env bash
# The sanitizer jobs of CI (docs/testing.md), each in its own build folder:
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer build of everything (build-asan);
#         runs the normal suite but the tests that are only slow under ASan (see
#         ASAN_SKIP). Any report fails its test. `asan-full` runs every test of the suite.
#   tsan  ThreadSanitizer build (build-tsan, IRM_TSAN: the engine's locks on std::mutex,
#         since Debian's abseil is not instrumented); runs the engine's concurrency tests.
# Usage: scripts/sanitize.sh [asan|asan-full|tsan|all]   (default all). Dependencies: scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
job="${1:-all}"
jobs="$(nproc)"
root="$(pwd)"

# Left out of the CI job: timing tests (label serial), kill -9 rounds (crash), the load tool
# (bench), deploy checks, and the tests that load the sample or 5,000 needs, move GiBs or
# drive Chromium: 3-10x slower under ASan, they exceed their own timeouts on 2 busy cores
# (docs/testing.md has the full run's result). `asan-full` keeps them.
ASAN_SKIP_LABELS="long|serial|crash|bench|deploy"
ASAN_SKIP="SampleLoadIsIdempotent|OnALoadedServer|E2eNeeds|EveryByteOf135EventsOf1MiB|E2eMemoryBound|SigtermUnderLoad|Browser"

run_asan() {
  local full="${1:-}"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DIRM_SANITIZE=address,undefined >/dev/null
  cmake --build build-asan -j "$jobs"
  local select=(-LE "$ASAN_SKIP_LABELS" -E "$ASAN_SKIP")
  [ "$full" = full ] && select=(-LE long)
  # Leak checking stays on; gRPC's and protobuf's process-lifetime singletons are not leaks
  # LeakSanitizer reports (they stay reachable).
  ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    ctest --test-dir build-asan -j "$jobs" --output-on-failure "${select[@]}" --timeout 600
}

run_tsan() {
  local tests=(irm_engine_subscription_test irm_engine_projection_test irm_engine_store_test
               irm_engine_audit_test)
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIRM_TSAN=ON >/dev/null
  cmake --build build-tsan -j "$jobs" --target "${tests[@]}"
  local failed=0
  for t in "${tests[@]}"; do
    local binary
    binary="$(find build-tsan -name "$t" -type f -perm -u+x | head -1)"
    echo "== ThreadSanitizer: $t"
    if ! TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/sanitizers/tsan.supp" \
        "$binary" --gtest_brief=1; then
      failed=1
    fi
  done
  return "$failed"
}

case "$job" in
  asan) run_asan ;;
  asan-full) run_asan full ;;
  tsan) run_tsan ;;
  all) run_asan; run_tsan ;;
  *) echo "usage: scripts/sanitize.sh [asan|asan-full|tsan|all]" >&2; exit 2 ;;
esac
