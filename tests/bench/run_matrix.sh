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

work="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/irm-bench-matrix.XXXXXX")"
irmd_pid=""
cleanup() {
  if [[ -n "$irmd_pid" ]] && kill -0 "$irmd_pid" 2>/dev/null; then
    kill -TERM "$irmd_pid"
    wait "$irmd_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$irmd" --data "$work/data" --listen 127.0.0.1:0 2>"$work/irmd.err" &
irmd_pid=$!
address=""
for _ in $(seq 100); do
  address="$(grep -o 'listening on [0-9.]*:[0-9]*' "$work/irmd.err" | cut -d' ' -f3 || true)"
  [[ -n "$address" ]] && break
  sleep 0.1
done
[[ -n "$address" ]] || { echo "run_matrix: irmd did not start:" >&2; cat "$work/irmd.err" >&2; exit 1; }

common=(--server "$address" --json --seconds "$seconds" --baseline-dir "$work"
        --irmd-pid "$irmd_pid")
: >"$out"
run() { "$bench" "${common[@]}" "$@" | tee -a "$out"; }

echo "# machine: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB," \
     "disk $(df -h "$work" | awk 'NR==2 {print $1, $2}'), irmd $address pid $irmd_pid" >&2
for clients in ${CLIENTS:-1 16 64 256}; do
  for batch in 1 10; do
    run --scenario append --clients "$clients" --batch "$batch" --log-shaped-baseline
  done
done
run --scenario read
run --scenario subscribe --subscribers "${SUBSCRIBERS:-1000}"
run --scenario rebuild
echo "# irmd data folder: $(du -sh "$work/data" | cut -f1); results in $out" >&2
