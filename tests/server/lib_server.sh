# Helpers for the server tests (label `server`): start `attrledger serve`
# on 127.0.0.1 with a free port, wait for it (bounded), stop it by pid.
. "$(dirname "$0")/../cli/lib.sh"

SRV_PID=
NGINX_PID=
# fail also shows the end of the server's log.
eval "$(declare -f fail | sed '1s/fail/cli_fail/')"
fail() {
  [ -f "$T/server.log" ] && { echo "--- server log (tail):" >&2; tail -5 "$T/server.log" >&2; }
  cli_fail "$@"
}
server_cleanup() {
  [ -n "$SRV_PID" ] && kill -9 "$SRV_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill -9 "$NGINX_PID" 2>/dev/null || true
  rm -rf "$T"
}
trap server_cleanup EXIT

# start_server [ARGS...]: serve $T/ledger; sets SRV_PID, PORT, URL.
start_server() {
  rm -f "$T/port"
  "$AL" serve -C "$T/ledger" --listen "127.0.0.1:${LISTEN_PORT:-0}" --port-file "$T/port" "$@" \
    2>>"$T/server.log" &
  SRV_PID=$!
  for _ in $(seq 1 300); do
    [ -s "$T/port" ] && break
    kill -0 "$SRV_PID" 2>/dev/null || fail "serve exited at start: $(tail -3 "$T/server.log")"
    sleep 0.1
  done
  [ -s "$T/port" ] || fail "serve did not start within 30 s"
  PORT=$(cat "$T/port")
  URL="http://127.0.0.1:$PORT"
}

# stop_server: SIGTERM, wait (bounded), require exit 0.
stop_server() {
  local rc=0
  kill -TERM "$SRV_PID"
  for _ in $(seq 1 300); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$SRV_PID" 2>/dev/null && fail "serve did not stop within 30 s of SIGTERM"
  wait "$SRV_PID" || rc=$?
  [ "$rc" = 0 ] || fail "serve exited $rc after SIGTERM"
  SRV_PID=
  checks=$((checks + 1))
}

# http METHOD PATH [curl args...]: status code to stdout, body to $T/body.
http() {
  local m=$1 p=$2
  shift 2
  curl -sS --path-as-is -m 30 -o "$T/body" -w '%{http_code}' -X "$m" "$URL$p" "$@" 2>"$T/curl.err"
}
# status_is WANT METHOD PATH [curl args]
status_is() {
  local want=$1 got
  shift
  got=$(http "$@") || true
  [ "$got" = "$want" ] || fail "$1 $2: HTTP $got, want $want: $(head -c 300 "$T/body") $(cat "$T/curl.err")"
  checks=$((checks + 1))
}
body_has() { grep -qF -- "$1" "$T/body" || fail "body lacks \"$1\": $(head -c 300 "$T/body")"; checks=$((checks + 1)); }
