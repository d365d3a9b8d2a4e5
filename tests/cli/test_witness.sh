# Witnessing from the command line: witness init / cosign (accept a
# consistent sequence; refuse rollback, fork, bad proof), cosign add,
# checkpoint --with-cosignatures, cosigned receipts under a tlog-policy.
. "$(dirname "$0")/lib.sh"

CLAIM_ACTOR=  # these tests need no actor registry
new_ledger
member p:cert MEMBER
VK="$T/ledger/log.vkey"
"$AL" checkpoint >"$T/cp2"
incident_json inc:test p:cert "$T/inc.json"
claim_json clm:one p:cert "$T/c1.json"
"$AL" -q sign "$T/inc.json" --key "$(keyof p:cert)" -o "$T/inc.s.json"
"$AL" -q sign "$T/c1.json" --key "$(keyof p:cert)" -o "$T/c1.s.json"
"$AL" -q submit "$T/inc.s.json" "$T/c1.s.json" >/dev/null
"$AL" checkpoint >"$T/cp4"

al 0 witness init --name witness.test/w1 --out "$T/w1.key" --no-passphrase
grep -q '^witness.test/w1+[0-9a-f]\{8\}+B' "$T/w1.key.pub" || fail "witness vkey is not type 0x04"
W="--key $T/w1.key --state $T/w1.state --log-vkey $VK"

# First contact needs no proof; then 2 -> 4 with a consistency proof.
al 0 witness cosign $W "$T/cp2"
out_has "— witness.test/w1 "
err_has "cosigned test.example/ledger at size 2 (previously 0)"
grep -q '^test.example/ledger 2 ' "$T/w1.state" || fail "state not written"
al 0 prove consistency 2 4 --json
cp "$T/out" "$T/p24.json"
al 0 witness cosign $W "$T/cp4" --proof "$T/p24.json"
cp "$T/out" "$T/cosig4"
grep -q '^test.example/ledger 4 ' "$T/w1.state" || fail "state not advanced"
cp "$T/w1.state" "$T/state-after-4"

# Refusals: rollback, fork, bad proof, missing proof, unknown log.
al 1 witness cosign $W "$T/cp2"
err_has "refusing rollback"
err_one_line
# An edited checkpoint (another root) no longer carries the log's signature.
# (another first character of the root: A, or B when it already is A)
sed '3{s/^A/#/;s/^[^#]/A/;s/^#/B/}' "$T/cp4" >"$T/cp4-edited"
cmp -s "$T/cp4" "$T/cp4-edited" && fail "the edit left the checkpoint unchanged"
al 1 witness cosign $W "$T/cp4-edited"
err_has "invalid signature"
# A fork: the witness remembers another root for the same size.
python3 - "$T/w1.state" <<'EOF'
import sys
p = sys.argv[1]
lines = open(p).read().splitlines()
origin, size, root = lines[1].split(' ')
lines[1] = ' '.join([origin, size, 'A' * 43 + '='])
open(p, 'w').write('\n'.join(lines) + '\n')
EOF
al 1 witness cosign $W "$T/cp4"
err_has "refusing fork"
cp "$T/state-after-4" "$T/w1.state"
claim_json clm:two p:cert "$T/c2.json"
"$AL" -q sign "$T/c2.json" --key "$(keyof p:cert)" -o "$T/c2.s.json"
"$AL" -q submit "$T/c2.s.json" >/dev/null
"$AL" checkpoint >"$T/cp5"
al 1 witness cosign $W "$T/cp5"
err_has "give a consistency proof from 4"
al 0 prove consistency 2 5 --json
cp "$T/out" "$T/p25.json"
al 1 witness cosign $W "$T/cp5" --proof "$T/p25.json"
err_has "need a consistency proof from 4"
al 0 prove consistency 4 5 --json
cp "$T/out" "$T/p45.json"
python3 - "$T/p45.json" "$T/p45-bad.json" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))
h = p["hashes"][0]
p["hashes"][0] = ("B" if h[0] == "A" else "A") + h[1:]
json.dump(p, open(sys.argv[2], "w"))
EOF
al 1 witness cosign $W "$T/cp5" --proof "$T/p45-bad.json"
err_has "bad consistency proof"
al 0 witness cosign $W "$T/cp5" --proof "$T/p45.json"
cp "$T/out" "$T/cosig5"
"$AL" -q key generate --name test.example/ledger --out "$T/evil.key" --no-passphrase >/dev/null 2>&1
al 1 witness cosign --key "$T/w1.key" --state "$T/w1.state" --log-vkey "$T/evil.key.pub" "$T/cp5"
err_has "checkpoint of test.example/ledger"
al 2 witness cosign $W
al 2 witness cosign --key "$T/w1.key" --state "$T/w1.state" --log-vkey "$T/w1.key.pub" "$T/cp5"

# Store the cosignature with the ledger; checkpoint --with-cosignatures.
al 1 cosign add --witness "$T/w1.key.pub" --size 4 "$T/cosig5"
err_has "does not verify"
al 0 cosign add --witness "$T/w1.key.pub" "$T/cosig5"
err_has "stored 1 cosignature"
al 0 checkpoint --with-cosignatures
out_has "— witness.test/w1 "
cp "$T/out" "$T/cp5-cosigned"
al 0 checkpoint
grep -q 'witness.test/w1' "$T/out" && fail "plain checkpoint shows cosignatures"
al 0 cosign add --witness "$T/w1.key.pub" --json "$T/cp5-cosigned"
out_is '{"stored":1}'
al 2 cosign add --witness "$VK" "$T/cosig5"

# A cosigned receipt under a policy, and the quorum.
cat >"$T/policy" <<EOF
# the log and its witness
log $(cat "$VK")
witness w1 $(cat "$T/w1.key.pub")
quorum w1
EOF
"$AL" show clm:one --leaf-out "$T/leaf3" >/dev/null
al 0 prove inclusion clm:one --receipt --with-cosignatures
cp "$T/out" "$T/r3"
al 0 verify-receipt --policy "$T/policy" "$T/r3" --leaf "$T/leaf3"
out_has "witness quorum met: 1 of 1"
al 0 verify-receipt --vkey "$VK" "$T/r3" --leaf "$T/leaf3"
al 0 prove inclusion clm:one --receipt
cp "$T/out" "$T/r3-plain"
al 1 verify-receipt --policy "$T/policy" "$T/r3-plain" --leaf "$T/leaf3"
err_has "quorum not met"
printf 'log %s\nfrobnicate\nquorum none\n' "$(cat "$VK")" >"$T/bad-policy"
al 3 verify-receipt --policy "$T/bad-policy" "$T/r3" --leaf "$T/leaf3"
err_has "policy line 2"
al 2 verify-receipt --policy "$T/policy" --vkey "$VK" "$T/r3" --leaf "$T/leaf3"
al 0 help witness
out_has "example:"
al 0 help cosign
out_has "example:"
done_ok
