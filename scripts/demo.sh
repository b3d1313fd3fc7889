#!/usr/bin/env bash
# The README's main command: sets up, builds, starts irmd on ./data (embedded RocksDB),
# loads the sample data through the real `irm` commands, and shows where things stand.
# irmd keeps running on 127.0.0.1:50051; `scripts/demo.sh stop` stops it.
#
# The sample is SYNTHETIC: made-up steps of real review stages, for trying irm out.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${IRM_BUILD_DIR:-build}"
data="${IRM_DATA:-data}"
server="${IRM_SERVER:-127.0.0.1:50051}"
http="${IRM_HTTP:-127.0.0.1:8080}"
pidfile="$data/irmd.pid"
export IRM_SERVER="$server"

if [ "${1:-}" = "stop" ]; then
  [ -f "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null && echo "irmd stopped"
  rm -f "$pidfile"
  exit 0
fi

scripts/install-deps.sh
scripts/build.sh
irm="$build/cli/irm"
irmd="$build/services/irmd"

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  echo "irmd already running (pid $(cat "$pidfile")) on $server"
else
  mkdir -p "$data"
  # The key that signs checkpoints of the log's Merkle tree (docs/audit.md).
  [ -f "$data/signing.pem" ] || openssl genpkey -algorithm ed25519 -out "$data/signing.pem"
  openssl pkey -in "$data/signing.pem" -pubout -out "$data/signing.pub.pem"
  nohup "$irmd" --data "$data/log" --listen "$server" --http "$http" \
    --signing-key "$data/signing.pem" </dev/null >/dev/null 2>"$data/irmd.log" &
  echo $! >"$pidfile"
  for _ in $(seq 100); do
    grep -q "irmd listening on" "$data/irmd.log" 2>/dev/null && break
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { cat "$data/irmd.log" >&2; exit 1; }
    sleep 0.1
  done
  grep "irmd listening on" "$data/irmd.log"
fi

# The synthetic sample: both cycles for every State party, driven through the real review
# commands. Loading it twice changes nothing.
echo "loading the synthetic sample (irm sample load)..."
"$irm" sample load

echo
# The sample's story ends on 2024-06-28; overdue is judged on that day, not today.
echo "== where the reviews stood on the sample's last day (irm pipeline --as-of 2024-06-28) =="
"$irm" pipeline --as-of 2024-06-28
echo
echo "== cycle 2 reviews overdue on that day (irm reviews --cycle 2 --overdue --as-of 2024-06-28) =="
"$irm" reviews --cycle 2 --overdue --as-of 2024-06-28
echo
echo "== one review on that day (irm status KEN --cycle 2 --as-of 2024-06-28) =="
"$irm" status KEN --cycle 2 --as-of 2024-06-28
echo
echo "== technical-assistance needs of cycle 2 by category (irm report needs) =="
"$irm" report needs --cycle 2 --by category
echo
echo "== the log checked against a signed checkpoint (irm verify) =="
"$irm" verify --public-key "$data/signing.pub.pem"
echo
echo "irmd is running on $server (data in $data/log); the live dashboard is at http://$http/"
echo "Try: $irm subscribe --from end"
echo "Stop it with: scripts/demo.sh stop"
