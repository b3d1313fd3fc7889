#!/usr/bin/env bash
# A cluster on this machine (docs/cluster.md): 3 etcd members and 3 irmd nodes on loopback,
# each node with its own copy in cluster/node-N, all appending to one log kept by etcd.
# Loads the synthetic sample through node 1 and shows that every node has it.
#   scripts/cluster.sh          start (or reuse) the cluster, load the sample, print addresses
#   scripts/cluster.sh stop     stop the nodes, then etcd (data stays in ./cluster)
# Ports: etcd clients 23791-23793 (peers 23801-23803); irmd gRPC 50061-50063, HTTP 8091-8093.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${IRM_BUILD_DIR:-build}"
dir="${IRM_CLUSTER_DIR:-cluster}"
nodes=(1 2 3)

stop_pids() {  # $1: glob of pid files
  for pidfile in $1; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    if kill -TERM "$pid" 2>/dev/null; then
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$pidfile"
  done
}

if [ "${1:-}" = "stop" ]; then
  stop_pids "$dir/irmd-*.pid"
  stop_pids "$dir/etcd-*.pid"
  echo "cluster stopped (data kept in $dir)"
  exit 0
fi

command -v etcd >/dev/null || scripts/install-deps.sh
[ -x "$build/services/irmd" ] && [ -x "$build/cli/irm" ] || scripts/build.sh
irm="$build/cli/irm"
irmd="$build/services/irmd"
mkdir -p "$dir"

# Waits until $2 (a log file) has a line matching $3, or the process of pid file $1 died.
wait_for() {
  for _ in $(seq 300); do
    grep -q "$3" "$2" 2>/dev/null && return 0
    kill -0 "$(cat "$1")" 2>/dev/null || { tail -20 "$2" >&2; return 1; }
    sleep 0.1
  done
  echo "timed out waiting for '$3' in $2" >&2
  return 1
}

initial=""
for n in "${nodes[@]}"; do initial+="${initial:+,}e$n=http://127.0.0.1:2380$n"; done
urls=""
for n in "${nodes[@]}"; do urls+="${urls:+,}http://127.0.0.1:2379$n"; done

for n in "${nodes[@]}"; do
  pidfile="$dir/etcd-$n.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then continue; fi
  state=new
  [ -d "$dir/etcd-$n" ] && state=existing
  nohup etcd --name "e$n" --data-dir "$dir/etcd-$n" \
    --listen-client-urls "http://127.0.0.1:2379$n" --advertise-client-urls "http://127.0.0.1:2379$n" \
    --listen-peer-urls "http://127.0.0.1:2380$n" --initial-advertise-peer-urls "http://127.0.0.1:2380$n" \
    --initial-cluster "$initial" --initial-cluster-token irm-cluster --initial-cluster-state "$state" \
    --logger zap --log-outputs stderr </dev/null >/dev/null 2>"$dir/etcd-$n.log" &
  echo $! >"$pidfile"
done
for n in "${nodes[@]}"; do wait_for "$dir/etcd-$n.pid" "$dir/etcd-$n.log" "serving client traffic"; done

# One signing key for every node: a checkpoint signed by any node verifies with one key.
[ -f "$dir/signing.pem" ] || openssl genpkey -algorithm ed25519 -out "$dir/signing.pem"
openssl pkey -in "$dir/signing.pem" -pubout -out "$dir/signing.pub.pem"
for n in "${nodes[@]}"; do
  pidfile="$dir/irmd-$n.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then continue; fi
  nohup "$irmd" --data "$dir/node-$n" --listen "127.0.0.1:5006$n" --http "127.0.0.1:809$n" \
    --signing-key "$dir/signing.pem" --cluster-etcd "$urls" --node-name "irm-$n" \
    </dev/null >/dev/null 2>"$dir/irmd-$n.log" &
  echo $! >"$pidfile"
done
for n in "${nodes[@]}"; do wait_for "$dir/irmd-$n.pid" "$dir/irmd-$n.log" "irmd listening on"; done

echo "loading the synthetic sample through node 1 (irm sample load)..."
IRM_SERVER=127.0.0.1:50061 "$irm" sample load
echo
for n in "${nodes[@]}"; do
  # Each node's own copy: the same size and root everywhere once it has caught up.
  echo "node irm-$n: gRPC 127.0.0.1:5006$n, dashboard http://127.0.0.1:809$n/, etcd member e$n at http://127.0.0.1:2379$n"
  IRM_SERVER="127.0.0.1:5006$n" "$irm" verify | sed 's/^/    /'
done
echo
echo "every node takes every command: IRM_SERVER=127.0.0.1:50062 irm review launch ...;"
echo "stop with: scripts/cluster.sh stop"
