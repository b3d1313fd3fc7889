#!/usr/bin/env bash
# irm-bench against a cluster beside raw etcd transactions (docs/performance.md, "Cluster
# mode"): starts 3 etcd members and 3 irmd nodes on loopback (ports 2479x/2480x, 5016x, data
# in a temporary folder), runs the append scenario on node 1 at 1, 16 and 64 clients with
# batch 1 and 10, each cell followed by the raw etcd compare-and-put baseline at the same
# concurrency and batch (irm-bench --etcd-baseline), prints one JSON line per cell, and
# stops everything. Usage: tests/bench/cluster_bench.sh [SECONDS per cell, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${IRM_BUILD_DIR:-build}"
seconds="${1:-3}"
dir="$(mktemp -d /tmp/irm-cluster-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
wait_for() {  # $1 log file, $2 pattern
  for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; return 1
}
initial="" urls=""
for n in 1 2 3; do
  initial+="${initial:+,}b$n=http://127.0.0.1:2480$n"
  urls+="${urls:+,}http://127.0.0.1:2479$n"
done
for n in 1 2 3; do
  etcd --name "b$n" --data-dir "$dir/etcd-$n" \
    --listen-client-urls "http://127.0.0.1:2479$n" --advertise-client-urls "http://127.0.0.1:2479$n" \
    --listen-peer-urls "http://127.0.0.1:2480$n" --initial-advertise-peer-urls "http://127.0.0.1:2480$n" \
    --initial-cluster "$initial" --initial-cluster-token "bench-$$" --initial-cluster-state new \
    --logger zap --log-outputs stderr 2>"$dir/etcd-$n.log" &
  pids+=($!)
done
for n in 1 2 3; do wait_for "$dir/etcd-$n.log" "serving client traffic"; done
for n in 1 2 3; do
  "$build/services/irmd" --data "$dir/node-$n" --listen "127.0.0.1:5016$n" \
    --cluster-etcd "$urls" --node-name "bench-$n" 2>"$dir/irmd-$n.log" &
  pids+=($!)
done
for n in 1 2 3; do wait_for "$dir/irmd-$n.log" "irmd listening on"; done
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for clients in 1 16 64; do
  for batch in 1 10; do
    "$build/tests/bench/irm-bench" --server 127.0.0.1:50161 --scenario append \
      --clients "$clients" --batch "$batch" --seconds "$seconds" --baseline-dir none \
      --no-rpc-floor --irmd-pid "${pids[3]}" --etcd-baseline "$urls" --json
  done
done
