# Sourced by the bench scripts: one irmd at a time, started on a loopback port and stopped.
#   irmd_start IRMD DATA_DIR LOG_FILE [IRMD_FLAG...]  starts IRMD on DATA_DIR, its stderr in
#       LOG_FILE; sets irmd_pid and irmd_address (HOST:PORT) once it listens, or exits 1
#       printing its log if it did not within 10 s
#   irmd_stop  SIGTERM to the running irmd, if any, and waits for it
# Callers put irmd_stop in their EXIT trap.
irmd_pid=""
irmd_address=""

irmd_start() {
  local irmd="$1" data="$2" log="$3"
  shift 3
  "$irmd" --data "$data" --listen 127.0.0.1:0 "$@" 2>"$log" &
  irmd_pid=$!
  irmd_address=""
  for _ in $(seq 100); do
    irmd_address="$(grep -o 'listening on [0-9.]*:[0-9]*' "$log" | cut -d' ' -f3 || true)"
    [[ -n "$irmd_address" ]] && return 0
    sleep 0.1
  done
  echo "$(basename "$0"): irmd did not start:" >&2
  cat "$log" >&2
  exit 1
}

irmd_stop() {
  if [[ -n "$irmd_pid" ]] && kill -0 "$irmd_pid" 2>/dev/null; then
    kill -TERM "$irmd_pid"
    wait "$irmd_pid" || true
  fi
  irmd_pid=""
}
