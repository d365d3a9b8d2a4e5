# attrledger witness serve: every status code of C2SP tlog-witness v1.0.0,
# driven by a client written from the spec text (spec_client.py, Python
# http.client), including the 409 discovery with "old 0"; the monitoring
# read; a fork refused with evidence whose fork report verifies; and
# `witness request` (the log's side, our own client) learning the
# witness's size from a 409.
set -eu
. "$(dirname "$0")/srvlib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 0; }
SC="python3 $(dirname "$0")/spec_client.py"

# status FILE: the first line of a spec_client answer.
status_is() { [ "$(head -1 "$T/out")" = "$1" ] || fail "answer is \"$(head -1 "$T/out")\", want \"$1\""; checks=$((checks + 1)); }
body_is() { [ "$(tail -n +2 "$T/out")" = "$1" ] || fail "body is \"$(tail -n +2 "$T/out")\", want \"$1\""; checks=$((checks + 1)); }
proof_lines() { # proof_lines DIR OLD NEW > FILE
  "$AL" -C "$1" prove consistency "$2" "$3" --json | python3 -c 'import json,sys; [print(h) for h in json.load(sys.stdin)["hashes"]]'
}

new_ledger
member p:cert MEMBER
seed p:cert
VK="$T/ledger/log.vkey"
"$AL" checkpoint >"$T/cp4"
claim_json clm:one p:cert "$T/c1.json"
"$AL" -q submit --key "$(keyof p:cert)" "$T/c1.json" >/dev/null
"$AL" checkpoint >"$T/cp5"
proof_lines "$T/ledger" 4 5 >"$T/p45"
"$AL" -q witness init --name w1.example --out "$T/w1.key" --no-passphrase >/dev/null
"$AL" -q witness init --name w2.example --out "$T/w2.key" --no-passphrase >/dev/null
witness_up w1 "$T/w1.key" "$T/w1.state" "$VK"
W1=$WURL
W1PID=$WPID

# 200 on first contact (old 0, empty proof): one cosignature line.
expect 0 $SC add "$W1" 0 - "$T/cp4"
status_is "200 text/plain; charset=utf-8"
[ "$(tail -n +2 "$T/out" | wc -l)" = 1 ] || fail "want one cosignature line"
tail -n +2 "$T/out" | grep -q "^— w1.example " || fail "not a w1.example signature line"
tail -n +2 "$T/out" >"$T/cosig4"
# The monitoring read: the checkpoint with that cosignature.
expect 0 $SC get "$W1" test.example/ledger
status_is "200 text/plain; charset=utf-8"
tail -n +2 "$T/out" >"$T/latest"
cat "$T/cp4" "$T/cosig4" >"$T/want"
same_file "$T/latest" "$T/want"
expect 0 $SC get "$W1" other.example/log
status_is "404 text/plain; charset=utf-8"
# 409: the log asks with old 0 and learns the witness's size.
expect 0 $SC add "$W1" 0 - "$T/cp5"
status_is "409 text/x.tlog.size"
body_is "4"
[ "$(tail -n +2 "$T/out" | od -An -c | tr -d ' \n')" = '4\n' ] || fail "409 body is not exactly \"4\\n\""
# 200 with the consistency proof from 4.
expect 0 $SC add "$W1" 4 "$T/p45" "$T/cp5"
status_is "200 text/plain; charset=utf-8"
# 400: old larger than the checkpoint; malformed bodies.
expect 0 $SC add "$W1" 6 - "$T/cp5"
status_is "400 text/plain; charset=utf-8"
printf 'old 5\nnot base64\n\n' | cat - "$T/cp5" >"$T/bad1"
expect 0 $SC raw "$W1" "$T/bad1"
status_is "400 text/plain; charset=utf-8"
printf 'hello\n' >"$T/bad2"
expect 0 $SC raw "$W1" "$T/bad2"
status_is "400 text/plain; charset=utf-8"
# 404: a log this witness does not follow.
mkdir -p "$T/other"
"$AL" -q key generate --name p:o --out "$T/keys/o.key" --no-passphrase >/dev/null 2>&1
"$AL" init "$T/other" --origin other.example/log --admin "$T/keys/o.key.pub" --no-passphrase >/dev/null 2>&1
"$AL" -C "$T/other" checkpoint >"$T/other.cp"
expect 0 $SC add "$W1" 0 - "$T/other.cp"
status_is "404 text/plain; charset=utf-8"
# 403: the right origin signed by another key.
"$AL" -q key generate --name p:x --out "$T/keys/x.key" --no-passphrase >/dev/null 2>&1
"$AL" init "$T/impostor" --origin test.example/ledger --admin "$T/keys/x.key.pub" --no-passphrase >/dev/null 2>&1
"$AL" -C "$T/impostor" checkpoint >"$T/impostor.cp"
expect 0 $SC add "$W1" 5 - "$T/impostor.cp"
status_is "403 text/plain; charset=utf-8"

# A fork: a copy of the ledger grows differently under the same key.
cp -r "$T/ledger" "$T/fork"
claim_json clm:two p:cert "$T/c2.json"
claim_json clm:three p:cert "$T/c3.json"
"$AL" -q submit --key "$(keyof p:cert)" "$T/c2.json" >/dev/null
"$AL" -C "$T/fork" -q submit --key "$(keyof p:cert)" "$T/c3.json" >/dev/null
"$AL" checkpoint >"$T/cp6"
"$AL" -C "$T/fork" checkpoint >"$T/fork6"
proof_lines "$T/ledger" 5 6 >"$T/p56"
proof_lines "$T/fork" 5 6 >"$T/f56"
expect 0 $SC add "$W1" 5 "$T/p56" "$T/cp6"
status_is "200 text/plain; charset=utf-8"
# 422: same size, other root; kept as evidence with a fork report.
expect 0 $SC add "$W1" 6 - "$T/fork6"
status_is "422 text/plain; charset=utf-8"
[ "$(ls "$T/w1.evidence"/*.txt | wc -l)" = 1 ] || fail "no evidence kept for the fork"
al 0 verify-fork "$(ls "$T/w1.evidence"/*.frk)" --vkey "$VK"
out_has "fork proven: test.example/ledger signed size 6"
# 422: a non-empty proof from 0, then a proof that does not verify (the
# other branch's proof against this branch's checkpoint): evidence too.
witness_up w2 "$T/w2.key" "$T/w2.state" "$VK"
W2=$WURL
expect 0 $SC add "$W2" 0 "$T/p45" "$T/cp5"
status_is "422 text/plain; charset=utf-8"
expect 0 $SC add "$W2" 0 - "$T/cp5"
status_is "200 text/plain; charset=utf-8"
expect 0 $SC add "$W2" 5 "$T/p56" "$T/fork6"
status_is "422 text/plain; charset=utf-8"
[ "$(ls "$T/w2.evidence"/*.txt | wc -l)" = 1 ] || fail "no evidence kept for the bad proof"
# Unchanged by every refusal.
expect 0 $SC get "$W2" test.example/ledger
tail -n +2 "$T/out" | head -2 | tail -1 | grep -qx 5 || fail "w2 moved after refusals"
# Other methods and paths.
expect 0 curl -s -o /dev/null -w '%{http_code}' "$W1/add-checkpoint"
out_is 405

# The log's side: `witness request` learns w2's size (5) from a 409,
# proves 5 -> 6 and stores the verified cosignature.
al 0 witness request --url "$W2" --witness "$T/w2.key.pub"
err_has "witness w2.example cosigned size 6 (it had 5)"
al 0 checkpoint --with-cosignatures
out_has "— w2.example "
# The fork's log asking w2 is refused (w2 now holds the other branch).
al 1 -C "$T/fork" witness request --url "$W2" --witness "$T/w2.key.pub"
err_has "answered 422"
stop_pid "$W1PID" 2>/dev/null || true
done_ok
