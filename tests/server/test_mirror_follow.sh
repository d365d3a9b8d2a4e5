# attrledger mirror --follow against a serving log: the mirror catches up,
# keeps following while members submit over HTTP, and ends byte-identical
# to the log (same checkpoint root, same tiles, verify passes). Bounded
# waits; the mirror and the server are stopped by pid.
. "$(dirname "$0")/lib_server.sh"
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 0; }

MIR_PID=
mirror_cleanup() {
  [ -n "$MIR_PID" ] && kill -9 "$MIR_PID" 2>/dev/null || true
  server_cleanup
}
trap mirror_cleanup EXIT

new_ledger
member p:cert MEMBER CLAIMANT
VK="$T/ledger/log.vkey"
start_server

# size_of URL: the size line of the log's checkpoint.
size_of() { curl -sS -m 10 "$1/checkpoint" | sed -n 2p; }
# wait_mirror SIZE: wait (bounded) until the mirror's checkpoint has SIZE.
wait_mirror() {
  local got=
  for _ in $(seq 1 300); do
    kill -0 "$MIR_PID" 2>/dev/null || fail "mirror --follow exited: $(tail -3 "$T/mirror.err")"
    got=$("$AL" -C "$T/mir" checkpoint 2>/dev/null | sed -n 2p) || true
    [ "$got" = "$1" ] && break
    sleep 0.2
  done
  [ "$got" = "$1" ] || fail "mirror at size '$got' after 60 s, want $1"
  checks=$((checks + 1))
}

# A submission over HTTP: N incident reports in one request.
submit_http() {
  local i files=()
  for i in $(seq "$1" "$2"); do
    incident_json "inc:f$i" p:cert "$T/inc$i.json"
    "$AL" -q sign "$T/inc$i.json" --key "$(keyof p:cert)" -o "$T/inc$i.signed.json"
    files+=("$T/inc$i.signed.json")
  done
  al 0 submit --url "$URL" --vkey "$VK" "${files[@]}"
}

"$AL" mirror --url "$URL" --vkey "$VK" --follow 1 "$T/mir" >"$T/mirror.out" 2>"$T/mirror.err" &
MIR_PID=$!
wait_mirror "$(size_of "$URL")"

submit_http 1 3
want=$(size_of "$URL")
wait_mirror "$want"
submit_http 4 10
want=$(size_of "$URL")
wait_mirror "$want"

kill -TERM "$MIR_PID"
wait "$MIR_PID" 2>/dev/null || true
MIR_PID=
# Every run the mirror reported is a line of its own; the last one grew it.
grep -q "size .* -> $want" "$T/mirror.out" || fail "mirror output lacks the run to size $want: $(cat "$T/mirror.out")"
checks=$((checks + 1))

al 0 -C "$T/mir" verify
[ "$("$AL" -C "$T/mir" checkpoint | sed -n 2,3p)" = "$(curl -sS "$URL/checkpoint" | sed -n 2,3p)" ] ||
  fail "mirror's size and root differ from the log's"
checks=$((checks + 1))
"$AL" -q export --format tiles -o "$T/tiles"
"$AL" -C "$T/mir" -q export --format tiles -o "$T/mtiles"
same_file "$T/tiles/tile/entries/000.p/$want" "$T/mtiles/tile/entries/000.p/$want"
same_file "$T/tiles/tile/0/000.p/$want" "$T/mtiles/tile/0/000.p/$want"

stop_server
done_ok
