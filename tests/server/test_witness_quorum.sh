# serve --witness-policy with three witnesses and a 2-of-3 quorum: after
# each commit the log asks every witness for a cosignature; with
# --wait-quorum the receipts carry the quorum and pass
# verify-receipt --policy; with one witness down the quorum is still met;
# with two down the log keeps accepting, but the receipts lack the quorum
# and verify-receipt --policy refuses them; a witness that comes back is
# caught up. Everything on 127.0.0.1, stopped by pid.
set -eu
. "$(dirname "$0")/srvlib.sh"
. "$(dirname "$0")/lib_server.sh"
trap 'server_cleanup; srv_cleanup' EXIT
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 0; }

new_ledger
member p:cert MEMBER CLAIMANT
VK="$T/ledger/log.vkey"
declare -A WP WU
for w in w1 w2 w3; do
  "$AL" -q witness init --name "$w.example" --out "$T/$w.key" --no-passphrase >/dev/null 2>&1
  witness_up "$w" "$T/$w.key" "$T/$w.state" "$VK"
  WP[$w]=$WPID
  WU[$w]=$WURL
done
cat >"$T/policy" <<POLICY
log $(cat "$VK")
witness w1 $(cat "$T/w1.key.pub") ${WU[w1]}
witness w2 $(cat "$T/w2.key.pub") ${WU[w2]}
witness w3 $(cat "$T/w3.key.pub") ${WU[w3]}
group two-of-three 2 w1 w2 w3
quorum two-of-three
POLICY

# Options that do not fit together are refused before anything starts.
al 2 serve --wait-quorum 2
err_has "with --witness-policy"
printf 'log %s\nwitness w1 %s ftp://x\nquorum w1\n' "$(cat "$VK")" "$(cat "$T/w1.key.pub")" >"$T/bad-url"
al 2 serve --witness-policy "$T/bad-url"
err_has "policy line 2"
printf 'log %s\nwitness w1 %s\nquorum w1\n' "$(cat "$VK")" "$(cat "$T/w1.key.pub")" >"$T/no-url"
al 2 serve --witness-policy "$T/no-url" --listen 127.0.0.1:0
err_has "no witness line has a URL"

start_server --witness-policy "$T/policy" --wait-quorum 3

# metric NAME: its value in /metrics.
metric() { curl -sS -m 10 "$URL/metrics" | awk -v k="$1" '$1 == k { print $2 }'; }
# submit_one ID: an incident over HTTP, its receipt in $T/rc-ID/.
submit_one() {
  incident_json "$1" p:cert "$T/$1.json"
  "$AL" -q sign "$T/$1.json" --key "$(keyof p:cert)" -o "$T/$1.signed.json"
  al 0 submit --url "$URL" --vkey "$VK" "$T/$1.signed.json" --out-dir "$T/rc-$1"
  RECEIPT=$(ls "$T/rc-$1"/*.tlog-proof)
  LEAF=$(ls "$T/rc-$1"/*.leaf)
}

# All three up: the receipt carries a quorum.
submit_one inc:q1
al 0 verify-receipt --policy "$T/policy" "$RECEIPT" --leaf "$LEAF"
out_has "witness quorum met:"
http GET /checkpoint >/dev/null
n=$(grep -c '^— w[123]\.example ' "$T/body" || true)
[ "$n" -ge 2 ] || fail "/checkpoint carries $n witness cosignatures, want at least 2"
checks=$((checks + 1))

# One witness down: still a quorum.
stop_pid "${WP[w3]}"
submit_one inc:q2
al 0 verify-receipt --policy "$T/policy" "$RECEIPT" --leaf "$LEAF"
out_has "witness quorum met: 2 of 3"

# Two down: the log keeps accepting; the receipt lacks the quorum.
stop_pid "${WP[w2]}"
size_before=$(metric attrledger_tree_size)
submit_one inc:q3
[ "$(metric attrledger_tree_size)" = "$((size_before + 1))" ] || fail "the log did not accept with two witnesses down"
checks=$((checks + 1))
al 0 verify-receipt --vkey "$VK" "$RECEIPT" --leaf "$LEAF"
al 1 verify-receipt --policy "$T/policy" "$RECEIPT" --leaf "$LEAF"
err_has "quorum not met"
[ "$(metric attrledger_quorum_waits_missed_total)" = 1 ] || fail "quorum_waits_missed_total is not 1"
checks=$((checks + 1))
curl -sS "$URL/metrics" >"$T/metrics"
grep -q '^attrledger_witness_failures_total{witness="w3.example"} [1-9]' "$T/metrics" ||
  fail "no failure counted for the stopped witness w3"
grep -q "^attrledger_witness_cosigned_size{witness=\"w1.example\"} $((size_before + 1))\$" "$T/metrics" ||
  fail "w1 did not cosign size $((size_before + 1)): $(grep cosigned_size "$T/metrics")"
checks=$((checks + 2))

# w2 comes back (same state): the collector's retries catch it up and the
# quorum reaches the log's size without another submission.
witness_up w2 "$T/w2.key" "$T/w2.state" "$VK"
# (a new port: the policy's URL for w2 is stale, so restart the server with it)
sed -i "s|^witness w2 \(.*\) http://127.0.0.1:[0-9]*\$|witness w2 \1 $WURL|" "$T/policy"
stop_server
start_server --witness-policy "$T/policy" --wait-quorum 3
want=$(metric attrledger_tree_size)
for _ in $(seq 1 100); do
  [ "$(metric attrledger_quorum_size)" = "$want" ] && break
  sleep 0.1
done
[ "$(metric attrledger_quorum_size)" = "$want" ] || fail "quorum never reached size $want after w2 came back"
checks=$((checks + 1))
"$AL" show inc:q3 --leaf-out "$T/leaf-q3" >/dev/null
al 0 -C "$T/ledger" prove inclusion inc:q3 --receipt --with-cosignatures
cp "$T/out" "$T/r-q3"
al 0 verify-receipt --policy "$T/policy" "$T/r-q3" --leaf "$T/leaf-q3"
out_has "witness quorum met: 2 of 3"
stop_server
done_ok
