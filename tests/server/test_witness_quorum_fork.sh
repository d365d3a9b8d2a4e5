# serve --witness-policy with a forked log: three witnesses cosign one
# branch through the server's collector (2-of-3 quorum, verify-receipt
# --policy passes); then a copy of the same ledger that grew differently
# (same origin and key) is served with the same policy: every witness
# refuses it and keeps evidence whose fork report verifies, the fork's
# checkpoint carries no cosignature, its /add-records answer says the
# quorum is not met, and its receipt fails verify-receipt --policy.
# Everything on 127.0.0.1, bounded, stopped by pid.
set -eu
. "$(dirname "$0")/srvlib.sh"
. "$(dirname "$0")/lib_server.sh"
trap 'server_cleanup; srv_cleanup' EXIT
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 0; }

new_ledger
member p:cert MEMBER CLAIMANT
VK="$T/ledger/log.vkey"
cp -r "$T/ledger" "$T/fork"
for w in w1 w2 w3; do
  "$AL" -q witness init --name "$w.example" --out "$T/$w.key" --no-passphrase >/dev/null 2>&1
  witness_up "$w" "$T/$w.key" "$T/$w.state" "$VK"
  printf 'witness %s %s %s\n' "$w" "$(cat "$T/$w.key.pub")" "$WURL" >>"$T/witnesses"
done
{
  echo "log $(cat "$VK")"
  cat "$T/witnesses"
  echo "group two-of-three 2 w1 w2 w3"
  echo "quorum two-of-three"
} >"$T/policy"

metric() { curl -sS -m 10 "$URL/metrics" | awk -v k="$1" '$1 == k { print $2 }'; }
# submit_one ID: an incident over HTTP; receipt in $RECEIPT, leaf in $LEAF,
# the server's answer in $T/out.
submit_one() {
  incident_json "$1" p:cert "$T/$1.json"
  "$AL" -q sign "$T/$1.json" --key "$(keyof p:cert)" -o "$T/$1.signed.json"
  al 0 submit --url "$URL" --vkey "$VK" "$T/$1.signed.json" --out-dir "$T/rc-$1" --json
  RECEIPT=$(ls "$T/rc-$1"/*.tlog-proof)
  LEAF=$(ls "$T/rc-$1"/*.leaf)
}

# Branch A, served: the quorum cosigns it.
start_server --witness-policy "$T/policy" --wait-quorum 5
submit_one inc:a
al 0 verify-receipt --policy "$T/policy" "$RECEIPT" --leaf "$LEAF"
out_has "witness quorum met:"
size_a=$(metric attrledger_tree_size)
stop_server

# Branch B: the copy takes another record at the same position.
incident_json inc:b p:cert "$T/b.json"
"$AL" -C "$T/fork" -q submit --key "$(keyof p:cert)" "$T/b.json" >/dev/null
[ "$("$AL" -C "$T/fork" checkpoint | sed -n 2p)" = "$size_a" ] || fail "the fork is not at size $size_a"
[ "$("$AL" -C "$T/fork" checkpoint | sed -n 3p)" != "$("$AL" checkpoint | sed -n 3p)" ] ||
  fail "the fork has the same root"
checks=$((checks + 2))
mv "$T/ledger" "$T/branch-a"
mv "$T/fork" "$T/ledger"
start_server --witness-policy "$T/policy" --wait-quorum 3
incident_json inc:c p:cert "$T/c.json"
"$AL" -q sign "$T/c.json" --key "$(keyof p:cert)" -o "$T/c.signed.json"
status_is 200 POST /add-records -H 'Content-Type: application/json' --data-binary @"$T/c.signed.json"
grep -q '"met": *false' "$T/body" || fail "the answer does not say the quorum is not met: $(cat "$T/body")"
checks=$((checks + 1))
http GET /checkpoint >/dev/null
! grep -q '^— w[123]\.example ' "$T/body" || fail "the fork's checkpoint carries a witness cosignature"
checks=$((checks + 1))
[ "$(metric attrledger_quorum_size)" = 0 ] || fail "quorum_size is $(metric attrledger_quorum_size), want 0"
checks=$((checks + 1))
stop_server
"$AL" show inc:c --leaf-out "$T/leaf-c" >/dev/null
al 0 prove inclusion inc:c --receipt --with-cosignatures
cp "$T/out" "$T/r-c"
al 0 verify-receipt --vkey "$VK" "$T/r-c" --leaf "$T/leaf-c"
al 1 verify-receipt --policy "$T/policy" "$T/r-c" --leaf "$T/leaf-c"
err_has "quorum not met"

# Every witness refused the fork and kept evidence that anyone can check.
for w in w1 w2 w3; do
  ls "$T/$w.evidence"/*.frk >/dev/null 2>&1 || fail "$w kept no fork report"
  checks=$((checks + 1))
  al 0 verify-fork "$(ls "$T/$w.evidence"/*.frk | head -1)" --vkey "$VK"
done
done_ok
