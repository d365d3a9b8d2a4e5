# audit --tiles URL: a tiles tree served over HTTP by tests/tools/httpd.c
# (loopback, ephemeral port) verifies exactly like the directory; missing,
# changed, failing, oversized, truncated, stalled and refused resources are
# each reported on one line; bad URLs are usage errors.
set -eu # stop here if lib.sh cannot be read: every path below is under $T
. "$(dirname "$0")/lib.sh"
: "${T:?}"

HTTPD=${ATTRLEDGER_HTTPD:?set ATTRLEDGER_HTTPD to the test httpd}
# The servers are on 127.0.0.1: no proxy from the environment may interfere.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export no_proxy='*' NO_PROXY='*'

servers=()
cleanup() {
  local p
  for p in ${servers[@]+"${servers[@]}"}; do kill "$p" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT

# serve NAME DIR [KNOB...]: start a server for DIR; its port in $PORT, its
# pid in $SERVER, its request log in $T/NAME.log.
serve() {
  local name=$1 dir=$2 i
  shift 2
  rm -f "$T/$name.port" "$T/$name.log"
  # Not on our stdout/stderr: ctest waits for every process holding them.
  "$HTTPD" "$dir" --port-file "$T/$name.port" --log "$T/$name.log" --max-seconds 60 "$@" \
    >>"$T/httpd.out" 2>&1 &
  SERVER=$!
  servers+=("$SERVER")
  for i in $(seq 500); do
    [ -s "$T/$name.port" ] && break
    sleep 0.01
  done
  PORT=$(cat "$T/$name.port") || fail "httpd $name did not start"
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

flip() { # flip FILE POS: xor one byte with 0x01
  local b
  b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  # shellcheck disable=SC2059
  printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# A small ledger, its tiles and a saved checkpoint; then one more
# entry and an incremental re-export (the tree holds partial tiles of both
# sizes).
CLAIM_ACTOR=
new_ledger
member p:cert MEMBER
member p:vendor MEMBER
incident_json inc:test p:cert "$T/inc.json"
claim_json clm:one p:cert "$T/c1.json"
claim_json clm:two p:vendor "$T/c2.json"
"$AL" -q sign "$T/inc.json" --key "$(keyof p:cert)" -o "$T/inc.s.json"
"$AL" -q sign "$T/c1.json" --key "$(keyof p:cert)" -o "$T/c1.s.json"
"$AL" -q sign "$T/c2.json" --key "$(keyof p:vendor)" -o "$T/c2.s.json"
"$AL" -q submit "$T/inc.s.json" "$T/c1.s.json" >/dev/null
"$AL" -q export --format tiles -o "$T/tiles"
"$AL" checkpoint >"$T/cp-old"
"$AL" -q submit "$T/c2.s.json" >/dev/null
"$AL" -q export --format tiles -o "$T/tiles"
VK="$T/ledger/log.vkey"
N=$(sed -n 2p "$T/tiles/checkpoint")
E="tile/entries/000.p/$N" # the entry bundle and the level-0 tile of this size
H="tile/0/000.p/$N"
[ -f "$T/tiles/$E" ] && [ -f "$T/tiles/$H" ] || fail "tiles of size $N missing"

# The directory audit is the reference output.
al 0 audit --vkey "$VK" --tiles "$T/tiles"
cp "$T/out" "$T/dir.out"
al 0 audit --vkey "$VK" --tiles "$T/tiles" --from-checkpoint "$T/cp-old" --json
cp "$T/out" "$T/dir.json"

# Served: the same output, with and without a trailing slash, all requests
# on one kept-alive connection.
serve good "$T/tiles"
GOOD=$PORT
al 0 audit --vkey "$VK" --tiles "http://127.0.0.1:$GOOD/"
same_file "$T/out" "$T/dir.out"
[ "$(cut -d' ' -f1 "$T/good.log" | sort -u | wc -l)" = 1 ] || fail "more than one connection"
[ "$(wc -l <"$T/good.log")" = 3 ] || fail "want 3 requests: $(cat "$T/good.log")"
al 0 audit --vkey "$VK" --tiles "http://127.0.0.1:$GOOD"
same_file "$T/out" "$T/dir.out"
al 0 audit --vkey "$VK" --tiles "HTTP://127.0.0.1:$GOOD//"
same_file "$T/out" "$T/dir.out"
al 0 audit --vkey "$VK" --tiles "http://127.0.0.1:$GOOD" --from-checkpoint "$T/cp-old" --json
same_file "$T/out" "$T/dir.json"
out_has '"consistent_with_old":true'
al 0 audit --vkey "$VK" --tiles "http://127.0.0.1:$GOOD/" --from-checkpoint "$T/cp-old"
out_has "the log only grew"
# A tree under a path, not the server's root.
mkdir -p "$T/www/pub"
cp -r "$T/tiles" "$T/www/pub/log"
serve sub "$T/www"
al 0 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/pub/log/"
same_file "$T/out" "$T/dir.out"
# Redirects to http are followed (relative Location too).
serve redir "$T/www" --redirect checkpoint /pub/log/checkpoint \
  --redirect "$H" "/pub/log/$H" \
  --redirect "$E" "http://127.0.0.1:$GOOD/$E"
al 0 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT"
same_file "$T/out" "$T/dir.out"
stop "$SERVER"

# A missing tile: exit 1, one line naming the path.
cp -r "$T/tiles" "$T/t-missing"
rm "$T/t-missing/$E"
serve missing "$T/t-missing"
al 1 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/"
err_one_line
err_has "$E is missing"
# ...and the full tile was tried before giving up (C2SP tlog-tiles).
grep -q "GET /tile/entries/000 404" "$T/missing.log" || fail "no fallback to the full tile"
rm "$T/t-missing/checkpoint"
al 1 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/"
err_one_line
err_has "checkpoint is missing"
stop "$SERVER"

# A changed byte in any served file is detected.
for f in checkpoint "$H" "$E"; do
  for pos in 0 100; do
    rm -rf "$T/t-flip"
    cp -r "$T/tiles" "$T/t-flip"
    flip "$T/t-flip/$f" "$pos"
    serve flip "$T/t-flip"
    al 1 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/"
    err_one_line
    stop "$SERVER"
  done
done

# Server errors name the URL and the status (exit 3).
serve fail "$T/tiles" --fail "$H"
al 3 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/"
err_one_line
err_has "http://127.0.0.1:$PORT/$H: HTTP status 500"
stop "$SERVER"
serve fail "$T/tiles" --fail checkpoint
al 3 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT"
err_one_line
err_has "attrledger: audit: http://127.0.0.1:$PORT/checkpoint: HTTP status 500"
stop "$SERVER"

# Nobody listening: exit 3, the URL and the cause.
serve gone "$T/tiles"
GONE=$PORT
stop "$SERVER"
al 3 audit --vkey "$VK" --tiles "http://127.0.0.1:$GONE/"
err_one_line
err_has "http://127.0.0.1:$GONE/checkpoint: "
grep -qi "connect" "$T/err" || fail "no connection failure in the message"

# Oversized bodies are cut off as soon as they pass the limit ("larger
# than" is only said then; the server would send a GiB): declared by
# Content-Length, or streamed chunked without one.
serve big "$T/tiles" --oversize "$E" --oversize-chunked "$H"
start=$SECONDS
al 1 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/"
err_one_line
err_has "http://127.0.0.1:$PORT/$E: larger than"
stop "$SERVER"
serve big "$T/tiles" --oversize-chunked "$H"
al 1 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/"
err_one_line
err_has "http://127.0.0.1:$PORT/$H: larger than 8192 bytes"
serve big "$T/tiles" --oversize-chunked checkpoint
al 1 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/"
err_has "http://127.0.0.1:$PORT/checkpoint: larger than"
[ $((SECONDS - start)) -lt 30 ] || fail "oversized bodies were not cut off early"

# A body cut short, or no answer at all: exit 3 naming the URL.
serve cut "$T/tiles" --truncate "$E"
al 3 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/"
err_one_line
err_has "http://127.0.0.1:$PORT/$E: "
serve hangup "$T/tiles" --close "$H"
al 3 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/"
err_one_line
err_has "http://127.0.0.1:$PORT/$H: "

# A slow server is waited for; a stalled one is given up (--timeout S).
serve slow "$T/tiles" --delay "$H" 300
al 0 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/"
same_file "$T/out" "$T/dir.out"
serve stall "$T/tiles" --delay checkpoint 20000
start=$SECONDS
al 3 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/" --timeout 1
err_one_line
err_has "http://127.0.0.1:$PORT/checkpoint: "
[ $((SECONDS - start)) -lt 10 ] || fail "--timeout 1 did not give up in time"
stop "$SERVER"

# A redirect to another scheme is refused.
serve ftp "$T/tiles" --redirect checkpoint ftp://127.0.0.1/checkpoint
al 3 audit --vkey "$VK" --tiles "http://127.0.0.1:$PORT/"
err_one_line
err_has "http://127.0.0.1:$PORT/checkpoint: "

# Usage errors (exit 2): other schemes, spaces, control characters,
# credentials, a query, --timeout without a URL or out of range.
al 2 audit --vkey "$VK" --tiles ftp://127.0.0.1/log
err_one_line
err_has "--tiles takes a directory or an http:// or https:// URL"
al 2 audit --vkey "$VK" --tiles "file:///$T/tiles"
al 2 audit --vkey "$VK" --tiles "http://127.0.0.1:$GOOD/a b"
err_one_line
err_has "space, control character"
al 2 audit --vkey "$VK" --tiles "$(printf 'http://127.0.0.1:%s/\033[2J' "$GOOD")"
err_one_line
al 2 audit --vkey "$VK" --tiles "http://user:secret@127.0.0.1:$GOOD/"
err_has "credentials in URLs are not supported"
al 2 audit --vkey "$VK" --tiles "http://127.0.0.1:$GOOD/?x=1"
al 2 audit --vkey "$VK" --tiles "http:///log"
al 2 audit --vkey "$VK" --tiles "$T/tiles" --timeout 5
al 2 audit --vkey "$VK" --tiles "http://127.0.0.1:$GOOD/" --timeout 0
al 2 audit --vkey "$VK" "$T/x.jsonl" --timeout 5
al 0 help audit
out_has "https://"
done_ok
