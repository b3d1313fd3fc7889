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
  nohup "$irmd" --data "$data/log" --listen "$server" </dev/null >/dev/null 2>"$data/irmd.log" &
  echo $! >"$pidfile"
  for _ in $(seq 100); do
    grep -q "irmd listening on" "$data/irmd.log" 2>/dev/null && break
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { cat "$data/irmd.log" >&2; exit 1; }
    sleep 0.1
  done
  grep "irmd listening on" "$data/irmd.log"
fi

# Sample steps, each with a fixed event id: loading twice changes nothing.
load() {  # STREAM TYPE ID DATA
  "$irm" append "$1" "$2" --id "$3" --data "$4" >/dev/null
}
echo "loading the synthetic sample..."
load review-KEN-2 ReviewScheduled   5a000000-0000-4000-8000-000000000001 '{"synthetic":true,"state":"KEN","cycle":2,"year":1}'
load review-KEN-2 ReviewersDrawn    5a000000-0000-4000-8000-000000000002 '{"synthetic":true,"reviewers":["UGA","FRA"],"round":1}'
load review-KEN-2 ReviewLaunched    5a000000-0000-4000-8000-000000000003 '{"synthetic":true,"on":"2016-06-01"}'
load review-FRA-2 ReviewScheduled   5a000000-0000-4000-8000-000000000004 '{"synthetic":true,"state":"FRA","cycle":2,"year":2}'
load review-BRA-1 ReviewScheduled   5a000000-0000-4000-8000-000000000005 '{"synthetic":true,"state":"BRA","cycle":1,"year":1}'
load review-BRA-1 ExecutiveSummaryIssued 5a000000-0000-4000-8000-000000000006 '{"synthetic":true,"on":"2012-05-14"}'

echo
echo "== the log (irm read '\$all') =="
"$irm" read '$all'
echo
echo "== projections (irm admin projections) =="
"$irm" admin projections 2>/dev/null || true
echo
echo "irmd is running on $server (data in $data/log). Try: $irm subscribe --from end"
echo "Stop it with: scripts/demo.sh stop"
