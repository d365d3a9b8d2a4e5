# attrledger mirror --follow against a serving log: the mirror keeps
# following `attrledger serve` as new entries are submitted over HTTP
# (three rounds, each waited for with a bounded loop), is stopped by pid,
# and ends byte-identical to the served log's entries and checkpoint.
. "$(dirname "$0")/lib_server.sh"
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 0; }

MPID=
mirror_cleanup() {
  [ -n "$MPID" ] && { kill "$MPID" 2>/dev/null || true; wait "$MPID" 2>/dev/null || true; }
  server_cleanup
}
trap mirror_cleanup EXIT

new_ledger
member p:cert MEMBER
VK="$T/ledger/log.vkey"
start_server
size() { curl -sf "$URL/checkpoint" | sed -n 2p; }
N0=$(size)

"$AL" mirror --url "$URL" --vkey "$VK" "$T/mir" --follow 1 >"$T/mirror.out" 2>"$T/mirror.err" &
MPID=$!

# wait_mirror SIZE: the follower reports reaching SIZE (at most 60 s).
wait_mirror() {
  local i
  for i in $(seq 1 600); do
    grep -q -- "-> $1 " "$T/mirror.out" 2>/dev/null && break
    kill -0 "$MPID" 2>/dev/null || fail "mirror --follow exited: $(cat "$T/mirror.err")"
    sleep 0.1
  done
  grep -q -- "-> $1 " "$T/mirror.out" || fail "mirror did not reach size $1: $(tail -2 "$T/mirror.out")"
  checks=$((checks + 1))
}
wait_mirror "$N0"

want=$N0
for round in 1 2 3; do
  files=()
  for i in 1 2; do
    incident_json "inc:f$round-$i" p:cert "$T/r$round-$i.json"
    "$AL" -q sign "$T/r$round-$i.json" --key "$(keyof p:cert)" -o "$T/r$round-$i.signed.json"
    files+=("$T/r$round-$i.signed.json")
  done
  al 0 submit --url "$URL" --vkey "$VK" "${files[@]}"
  want=$((want + 2))
  [ "$(size)" = "$want" ] || fail "the server's size is $(size), want $want"
  wait_mirror "$want"
done
kill -0 "$MPID" 2>/dev/null || fail "mirror --follow stopped on its own"
kill "$MPID"
wait "$MPID" 2>/dev/null || true
MPID=

# The follower's runs together appended every entry exactly once.
sum=$(sed -n 's/.*(\([0-9]*\) entries verified and appended.*/\1/p' "$T/mirror.out" | awk '{s += $1} END {print s + 0}')
[ "$sum" = "$want" ] || fail "the runs appended $sum entries, want $want: $(cat "$T/mirror.out")"
checks=$((checks + 1))

al 0 -C "$T/mir" verify
stop_server
"$AL" -q export --format tiles -o "$T/tiles"
"$AL" -C "$T/mir" -q export --format tiles -o "$T/mtiles"
same_file "$T/tiles/checkpoint" "$T/mtiles/checkpoint"
for f in $(cd "$T/tiles/tile/entries" && find . -type f); do
  same_file "$T/tiles/tile/entries/$f" "$T/mtiles/tile/entries/$f"
done
done_ok
