#!/usr/bin/env bash
# The sanitizer jobs of CI (docs/testing.md), each in its own build folder:
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer build of everything (build-asan);
#         runs the whole normal suite. Any report fails its test.
#   tsan  ThreadSanitizer build (build-tsan, IRM_TSAN: the engine's locks on std::mutex,
#         since Debian's abseil is not instrumented); runs the engine's concurrency tests.
# Usage: scripts/sanitize.sh [asan|tsan|all]   (default all). Dependencies: scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
job="${1:-all}"
jobs="$(nproc)"
root="$(pwd)"

run_asan() {
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DIRM_SANITIZE=address,undefined >/dev/null
  cmake --build build-asan -j "$jobs"
  # Leak checking stays on; gRPC's and protobuf's process-lifetime singletons are not leaks
  # LeakSanitizer reports (they stay reachable).
  ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    ctest --test-dir build-asan -j "$jobs" --output-on-failure -LE long \
      --timeout 600
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
  tsan) run_tsan ;;
  all) run_asan; run_tsan ;;
  *) echo "usage: scripts/sanitize.sh [asan|tsan|all]" >&2; exit 2 ;;
esac
