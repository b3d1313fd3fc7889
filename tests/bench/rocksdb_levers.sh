#!/usr/bin/env bash
# Measures RocksDB levers on the synced write irmd's appends wait for: irm-bench's raw
# baseline (irmd's DB options and column families, the pre-written WAL, WriteOptions.sync)
# with each option string below applied over irmd's, alternating the variants round by round
# so all see the same machine load. Prints one line per run and, at the end, each variant's
# median raw p50 and p99 (µs) and events/s, and its p50 as a ratio to the first variant's.
#
# usage: tests/bench/rocksdb_levers.sh BUILD_DIR [ROUNDS] [SECONDS] [CLIENTS] [VARIANT...]
#   BUILD_DIR  holds services/irmd and tests/bench/irm-bench
#   ROUNDS     default 5;  SECONDS  measured seconds per run, default 3;  CLIENTS  default 1
#   VARIANT    NAME=OPTIONS, OPTIONS in RocksDB's option-string form ('' is irmd's own);
#              default: irmd's options, wal_bytes_per_sync 1 MiB, manual_wal_flush,
#              allow_fallocate off, 256 MiB and 16 MiB memtables
# Environment: BENCH_TMP parent of the temporary folders and of the raw baseline's database
# (default TMPDIR or /tmp; put it on the disk irmd would use).
set -euo pipefail

usage() { sed -n '2,16p' "$0" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
build="$1"
rounds="${2:-5}"
seconds="${3:-3}"
clients="${4:-1}"
shift $(( $# < 4 ? $# : 4 ))
variants=("$@")
if [[ ${#variants[@]} -eq 0 ]]; then
  variants=("irmd=" "wal_bytes_per_sync_1MiB=wal_bytes_per_sync=1048576"
            "manual_wal_flush=manual_wal_flush=true" "no_fallocate=allow_fallocate=false"
            "memtable_256MiB=write_buffer_size=268435456"
            "memtable_16MiB=write_buffer_size=16777216")
fi
irmd="$build/services/irmd"
bench="$build/tests/bench/irm-bench"
[[ -x "$irmd" && -x "$bench" ]] || { echo "rocksdb_levers: no irmd or irm-bench in $build" >&2; exit 2; }

source "$(dirname "$0")/irmd_process.sh"
work="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/irm-levers.XXXXXX")"
trap 'irmd_stop; rm -rf "$work"' EXIT

# irm-bench's append cell needs a server (its events' size sets the baseline's value size).
irmd_start "$irmd" "$work/data" "$work/irmd.err"

results="$work/results"
: >"$results"
for round in $(seq "$rounds"); do
  for variant in "${variants[@]}"; do
    name="${variant%%=*}"
    options="${variant#*=}"
    line="$("$bench" --server "$irmd_address" --json --scenario append --clients "$clients" \
      --seconds "$seconds" --no-rpc-floor --baseline-dir "$work" --raw-rocksdb-options "$options")"
    figures="$(python3 -c '
import json, sys
r = json.loads(sys.argv[1])
if "raw_p50_us" not in r:
    sys.exit("rocksdb_levers: no raw baseline: " + r.get("note", ""))
print(r["raw_p50_us"], r["raw_p99_us"], r["raw_events_per_sec"])' "$line")"
    echo "round $round $name raw_p50_us/p99_us/events_per_sec $figures"
    echo "$name $figures" >>"$results"
  done
done

python3 - "$results" "${variants[@]}" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
names = [v.split("=", 1)[0] for v in sys.argv[2:]]
base = None
print(f"{'variant':26} {'p50_us':>8} {'p99_us':>8} {'events/s':>9} {'p50/first':>9}")
for name in names:
    mine = [r for r in rows if r[0] == name]
    p50 = statistics.median(float(r[1]) for r in mine)
    p99 = statistics.median(float(r[2]) for r in mine)
    eps = statistics.median(float(r[3]) for r in mine)
    base = base or p50
    print(f"{name:26} {p50:8.0f} {p99:8.0f} {eps:9.0f} {p50 / base:9.2f}")
EOF
