# kill -9 of a witness while requests for many sizes of one log arrive
# concurrently: its state never moves backwards (it holds at least every
# size it answered 200 for), the state file stays readable, and the
# restarted witness answers "old 0" with 409 and the size it really holds.
set -eu
. "$(dirname "$0")/srvlib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 0; }
SC="python3 $(dirname "$0")/spec_client.py"

new_ledger
member p:cert MEMBER
seed p:cert
first=$("$AL" checkpoint | sed -n 2p)
# One checkpoint per size: first .. first+11.
for i in $(seq 1 11); do
  claim_json "clm:$i" p:cert "$T/c$i.json"
  "$AL" -q submit --key "$(keyof p:cert)" "$T/c$i.json" >/dev/null
done
last=$("$AL" checkpoint | sed -n 2p)
"$AL" -q witness init --name w.example --out "$T/w.key" --no-passphrase >/dev/null 2>&1
VK="$T/ledger/log.vkey"
witness_up w "$T/w.key" "$T/w.state" "$VK"

# Four clients, each asking for every size from `first` upwards (our own
# client learns the witness's size from 409 and proves consistency).
client() {
  local s
  for s in $(seq "$first" "$last"); do
    # Only answers that succeeded (a failure prints {"ok":false,...} too).
    if out=$("$AL" -q witness request --url "$WURL" --witness "$T/w.key.pub" --size "$s" \
      --json 2>/dev/null); then printf '%s\n' "$out" >>"$T/ok.$1"; fi
  done
}
cpids=()
for k in 1 2 3 4; do client "$k" & cpids+=($!); done
# Let some requests succeed, then kill -9 in the middle of the others.
for i in $(seq 400); do
  [ "$(cat "$T"/ok.* 2>/dev/null | wc -l)" -ge 3 ] && break
  sleep 0.02
done
kill -9 "$WPID"
wait "$WPID" 2>/dev/null || true
for p in "${cpids[@]}"; do wait "$p" || true; done
best=$(cat "$T"/ok.* | python3 -c 'import json,sys; print(max([json.loads(l)["size"] for l in sys.stdin] or [0]))')
[ "$best" -ge "$first" ] || fail "no request succeeded before the kill"

# Restart: the state file is intact and not behind anything answered 200.
witness_up w "$T/w.key" "$T/w.state" "$VK"
"$AL" checkpoint --size "$first" >"$T/cp-first"
expect 0 $SC add "$WURL" 0 - "$T/cp-first"
[ "$(head -1 "$T/out")" = "409 text/x.tlog.size" ] || fail "restarted witness did not answer 409: $(head -1 "$T/out")"
held=$(tail -n +2 "$T/out")
[ "$held" -ge "$best" ] || fail "witness moved backwards: holds $held, answered 200 for $best"
[ "$held" -le "$last" ] || fail "witness holds $held, more than the log ever had"
grep -q "^test.example/ledger $held " "$T/w.state" || fail "state file does not hold size $held"
# And it goes on from there.
al 0 witness request --url "$WURL" --witness "$T/w.key.pub"
err_has "cosigned size $last (it had $held)"
done_ok
