#!/usr/bin/env bash
# Long fuzzing mode: builds the fuzz/ targets with clang, libFuzzer and AddressSanitizer
# (IRM_FUZZ=ON, folder build-fuzz) and runs each for a bounded time, starting from the
# committed seed corpus. New interesting inputs go to build-fuzz/corpus/<target> (copy the
# useful ones into fuzz/corpus/<target>/ to keep them); crashes are written to
# build-fuzz/crashes/ and make the script exit 1.
#
#   scripts/fuzz.sh                    # every target, IRM_FUZZ_SECONDS each (default 60)
#   IRM_FUZZ_SECONDS=600 scripts/fuzz.sh event_json grpc_request
set -euo pipefail
cd "$(dirname "$0")/.."
build="${IRM_FUZZ_BUILD_DIR:-build-fuzz}"
seconds="${IRM_FUZZ_SECONDS:-60}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(decode_record event_json review_rules grpc_request json_validation)
fi
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DIRM_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/%/_fuzzer}"
mkdir -p "$build/crashes"
failed=0
for target in "${targets[@]}"; do
  work="$build/corpus/$target"
  mkdir -p "$work"
  echo "== $target: ${seconds}s"
  # ASan's leak check is off: the fuzz server lives until exit by design.
  if ! ASAN_OPTIONS=detect_leaks=0 "$build/fuzz/${target}_fuzzer" "$work" "fuzz/corpus/$target" \
      -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$build/crashes/$target-"; then
    echo "!! $target found a crash; see $build/crashes/" >&2
    failed=1
  fi
done
exit $failed
