#!/usr/bin/env bash
# Compares two builds of irm on the append cells, alternating them so both see the same
# machine load: each round runs build A, then build B, every cell on a fresh irmd with a
# fresh data folder. Prints one line per run (build, cell, events/s, p50 µs, irmd CPU
# µs/event) and, at the end, the median and range of each build per cell.
#
# usage: tests/bench/alternate.sh DIR_A DIR_B [ROUNDS] [SECONDS] [CELLS]
#   DIR_A, DIR_B  each holds irmd and irm-bench (a build folder's services/irmd and
#                 tests/bench/irm-bench are found too); each build is driven by its own
#                 irm-bench, since the wire API may differ between them
#   ROUNDS        default 5
#   SECONDS       measured seconds per cell, default 4
#   CELLS         "CLIENTSxBATCH ..." default "64x1 64x10"
# Environment: BENCH_TMP parent of the temporary folders (default TMPDIR or /tmp).
set -euo pipefail

usage() { sed -n '2,14p' "$0" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
rounds="${3:-5}"
seconds="${4:-4}"
cells="${5:-64x1 64x10}"

# The binary NAME of build DIR: DIR/NAME, or where a build folder puts it.
binary() {
  local dir="$1" name="$2"
  for candidate in "$dir/$name" "$dir/services/$name" "$dir/tests/bench/$name"; do
    [[ -x "$candidate" ]] && { echo "$candidate"; return; }
  done
  echo "alternate: no $name in $dir" >&2
  exit 2
}
irmd_a="$(binary "$1" irmd)"; bench_a="$(binary "$1" irm-bench)"
irmd_b="$(binary "$2" irmd)"; bench_b="$(binary "$2" irm-bench)"

source "$(dirname "$0")/irmd_process.sh"
work="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/irm-alternate.XXXXXX")"
trap 'irmd_stop; rm -rf "$work"' EXIT

# One cell on a fresh irmd of build (IRMD, BENCH): prints "ev/s p50 cpu".
run_cell() {
  local irmd="$1" bench="$2" clients="$3" batch="$4"
  rm -rf "$work/data"
  irmd_start "$irmd" "$work/data" "$work/irmd.err"
  "$bench" --server "$irmd_address" --json --scenario append --clients "$clients" --batch "$batch" \
    --seconds "$seconds" --baseline-dir none --no-rpc-floor --irmd-pid "$irmd_pid" |
    python3 -c '
import json, sys
r = json.loads(sys.stdin.readline())
eps = r["events_per_sec"]
cpu = r.get("irmd_cpu_cores", 0) * 1e6 / eps if eps else 0
p50 = r.get("p50_us", 0)
print(f"{eps:.0f} {p50:.0f} {cpu:.1f}")'
  irmd_stop
}

echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); A=$1 B=$2; $rounds rounds of $seconds s" >&2
results="$work/results"
: >"$results"
for round in $(seq "$rounds"); do
  for cell in $cells; do
    clients="${cell%x*}"; batch="${cell#*x}"
    for build in A B; do
      if [[ "$build" == A ]]; then line="$(run_cell "$irmd_a" "$bench_a" "$clients" "$batch")"
      else line="$(run_cell "$irmd_b" "$bench_b" "$clients" "$batch")"; fi
      echo "round $round $build $cell $line" | tee -a "$results"
    done
  done
done
python3 - "$results" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    _, _, build, cell, eps, p50, cpu = line.split()
    rows.setdefault((cell, build), []).append((float(eps), float(p50), float(cpu)))
print("cell     build  ev/s median (range)        p50 µs median  irmd CPU µs/event median (range)")
for (cell, build), runs in sorted(rows.items()):
    eps = [r[0] for r in runs]; p50 = [r[1] for r in runs]; cpu = [r[2] for r in runs]
    print(f"{cell:8} {build:5}  {statistics.median(eps):8.0f} ({min(eps):.0f}-{max(eps):.0f})"
          f"   {statistics.median(p50):8.0f}        {statistics.median(cpu):6.1f} ({min(cpu):.1f}-{max(cpu):.1f})")
EOF
echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)" >&2
