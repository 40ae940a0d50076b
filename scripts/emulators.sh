# Sourced by the test and bench scripts: starts emulator processes on free ports and stops them on exit.
# start_emulator VAR [flags...]  sets VAR to the emulator's base URL.

EMULATOR_BIN=${EMULATOR_BIN:-target/debug/connect-emulator}
emulator_pids=()
emulator_logs=$(mktemp -d)

stop_emulators() {
  for pid in "${emulator_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_emulators EXIT

start_emulator() {
  local var=$1; shift
  local log="$emulator_logs/$var.log"
  "$EMULATOR_BIN" --port 0 "$@" >"$log" 2>&1 &
  emulator_pids+=($!)
  local url=""
  for _ in $(seq 1 100); do
    url=$(sed -n 's/^listening on \(http:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' "$log" | head -n1)
    [ -n "$url" ] && break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    echo "emulator did not start:"; cat "$log"; exit 1
  fi
  printf -v "$var" '%s' "$url"
  export "${var?}"
  echo "emulator $var at $url ($*)"
}
