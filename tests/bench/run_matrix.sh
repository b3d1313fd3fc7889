#!/usr/bin/env bash
# The issue-8 matrix: starts irmd on a fresh temporary data folder and runs irm-bench for
# append at 1, 16, 64 and 256 clients x batch 1 and 10 (each against raw RocksDB synced
# writes in a folder beside irmd's data, plain and log-shaped), a full read of the log, 1,000
# live subscribers, and a stream_stats rebuild. Prints one JSON object per line (also saved
# to OUT) and stops irmd with SIGTERM.
#
# usage: tests/bench/run_matrix.sh [BUILD_DIR] [SECONDS_PER_CELL] [OUT]
#   BUILD_DIR         default /work/build-h8 (needs services/irmd and tests/bench/irm-bench)
#   SECONDS_PER_CELL  default 3
#   OUT               default BUILD_DIR/bench-matrix.jsonl
# Environment: BENCH_TMP parent of the temporary folder (default TMPDIR or /tmp; put it on
# the disk you want measured); SUBSCRIBERS (1000); CLIENTS ("1 16 64 256").
set -euo pipefail

build="${1:-/work/build-h8}"
seconds="${2:-3}"
out="${3:-$build/bench-matrix.jsonl}"
irmd="$build/services/irmd"
bench="$build/tests/bench/irm-bench"
for binary in "$irmd" "$bench"; do
  [[ -x "$binary" ]] || { echo "run_matrix: $binary is not built" >&2; exit 2; }
done

source "$(dirname "$0")/irmd_process.sh"
work="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/irm-bench-matrix.XXXXXX")"
trap 'irmd_stop; rm -rf "$work"' EXIT

irmd_start "$irmd" "$work/data" "$work/irmd.err"

common=(--server "$irmd_address" --json --seconds "$seconds" --baseline-dir "$work"
        --irmd-pid "$irmd_pid")
: >"$out"
run() { "$bench" "${common[@]}" "$@" | tee -a "$out"; }

echo "# machine: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB," \
     "disk $(df -h "$work" | awk 'NR==2 {print $1, $2}'), irmd $irmd_address pid $irmd_pid" >&2
for clients in ${CLIENTS:-1 16 64 256}; do
  for batch in 1 10; do
    run --scenario append --clients "$clients" --batch "$batch" --log-shaped-baseline
  done
done
run --scenario read
run --scenario subscribe --subscribers "${SUBSCRIBERS:-1000}"
run --scenario rebuild
echo "# irmd data folder: $(du -sh "$work/data" | cut -f1); results in $out" >&2
