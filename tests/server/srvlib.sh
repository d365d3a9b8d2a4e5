# Helpers for the network tests (tests/server/test_*.sh), on top of
# tests/cli/lib.sh: start `attrledger witness serve` or the static test
# httpd on 127.0.0.1 with a free port, stop every started process by pid.
. "$(dirname "$0")/../cli/lib.sh"
: "${T:?}"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export no_proxy='*' NO_PROXY='*'

pids=()
srv_cleanup() {
  local p
  for p in ${pids[@]+"${pids[@]}"}; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$T"
}
trap srv_cleanup EXIT

# wait_port FILE: the port a server wrote to FILE (bounded wait).
wait_port() {
  local i
  for i in $(seq 500); do
    [ -s "$1" ] && break
    sleep 0.02
  done
  [ -s "$1" ] || fail "no port in $1"
  cat "$1"
}

# witness_up NAME KEY STATE LOGVKEY...: start a witness; its URL in $WURL,
# its pid in $WPID; requests logged to $T/NAME.log.
witness_up() {
  local name=$1 key=$2 state=$3 v args=()
  shift 3
  for v in "$@"; do args+=(--log-vkey "$v"); done
  rm -f "$T/$name.port"
  "$AL" witness serve --key "$key" --state "$state" "${args[@]}" --listen 127.0.0.1:0 \
    --port-file "$T/$name.port" --evidence "$T/$name.evidence" >>"$T/$name.log" 2>&1 &
  WPID=$!
  pids+=("$WPID")
  WURL="http://127.0.0.1:$(wait_port "$T/$name.port")"
}

# static_up NAME DIR: serve DIR with the test httpd; URL in $SURL, pid $SPID.
static_up() {
  local name=$1 dir=$2
  rm -f "$T/$name.port"
  "${ATTRLEDGER_HTTPD:?}" "$dir" --port-file "$T/$name.port" --max-seconds 300 --log "$T/$name.log" \
    >>"$T/$name.out" 2>&1 &
  SPID=$!
  pids+=("$SPID")
  SURL="http://127.0.0.1:$(wait_port "$T/$name.port")"
}

stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
