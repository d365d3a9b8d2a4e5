# The main flow: keys, init, registration, sign, submit, show, log,
# checkpoint, prove, verify, verify-receipt.
. "$(dirname "$0")/lib.sh"

al 0 --version
[ "$(head -1 "$T/out")" = "attrledger 0.1.0" ] || fail "--version first line"
al 0 key generate --name p:admin --out "$T/admin.key" --no-passphrase
out_has "name:       p:admin"
err_has "NOT encrypted"
[ "$(stat -c %a "$T/admin.key")" = 600 ] || fail "secret key mode is not 0600"
al 0 key show "$T/admin.key.pub" --json
out_has '"name":"p:admin"'
al 0 init "$T/ledger" --origin test.example/ledger --admin "$T/admin.key.pub" --no-passphrase
out_has "created ledger test.example/ledger"
[ -f "$T/ledger/log.vkey" ] || fail "no log.vkey"
grep -q '^test.example/ledger+[0-9a-f]\{8\}+' "$T/ledger/log.vkey" || fail "log.vkey format"
export ATTRLEDGER_DIR="$T/ledger"
al 0 checkpoint
out_has "test.example/ledger"
[ "$(sed -n 2p "$T/out")" = 1 ] || fail "genesis checkpoint size is not 1"
cp "$T/out" "$T/cp1"
al 0 show 0 --json
out_has '"ledger_policy"'
out_has '"participant_id":"p:admin"'

# Register a member (admin + the member's own key).
mkdir -p "$T/keys"
cp "$T/admin.key" "$T/admin.key.pub" "$T/keys/"
member p:cert MEMBER CLAIMANT
al 0 show reg:p:cert
out_has "participant"

# A member signs on its own machine, then submits.
actor_json act:test p:cert "$T/act.json"
al 0 submit "$T/act.json" --key "$(keyof p:cert)"
incident_json inc:test p:cert "$T/inc.json"
claim_json clm:one p:cert "$T/claim.json"
al 0 sign "$T/inc.json" --key "$(keyof p:cert)" -o "$T/inc.signed.json"
al 0 sign "$T/claim.json" --key "$(keyof p:cert)" -o "$T/claim.signed.json"
grep -q '"record"' "$T/claim.signed.json" || fail "envelope has no record"
al 0 submit "$T/inc.signed.json" "$T/claim.signed.json" --out-dir "$T"
[ "$(grep -c '^c2sp.org/tlog-proof@v1$' "$T/out")" = 2 ] || fail "want two receipts"
err_has "appended entry 3: inc:test"
err_has "appended entry 4: clm:one"
al 0 checkpoint
[ "$(sed -n 2p "$T/out")" = 5 ] || fail "size after batch is not 5"

# Idempotent resubmission returns the same entry, no new checkpoint.
al 0 submit "$T/claim.signed.json" --json
out_has '"index":4'
out_has '"existed":true'

# Receipts verify offline with only the log key.
al 0 verify-receipt --vkey "$T/ledger/log.vkey" "$T/entry-4.tlog-proof" --leaf "$T/entry-4.leaf"
out_has "ok: entry 4 is included in test.example/ledger at tree size 5"
al 1 verify-receipt --vkey "$T/ledger/log.vkey" "$T/entry-4.tlog-proof" --leaf "$T/entry-3.leaf"
err_one_line
# A receipt checked against another log's key fails.
"$AL" -q key generate --name test.example/ledger --out "$T/other.key" --no-passphrase >/dev/null 2>&1
al 1 verify-receipt --vkey "$T/other.key.pub" "$T/entry-4.tlog-proof" --leaf "$T/entry-4.leaf"
err_one_line

# show / log
al 0 show clm:one
out_has "type        attribution_claim"
out_has "author      p:cert"
al 0 show 4 --json --leaf-out "$T/leaf4"
out_has '"record_id":"clm:one"'
same_file "$T/leaf4" "$T/entry-4.leaf"
al 0 log
[ "$(wc -l <"$T/out")" = 5 ] || fail "log should list 5 entries"
al 0 log --type attribution_claim --json
[ "$(wc -l <"$T/out")" = 1 ] || fail "log --type should list 1 entry"
out_has '"record_id":"clm:one"'
al 0 log --author p:nobody
[ ! -s "$T/out" ] || fail "log --author p:nobody should be empty"
al 2 log --type nonsense
err_one_line

# Proofs
al 0 prove inclusion clm:one --json
out_has '"tree_size":5'
out_has '"leaf_index":4'
al 0 prove inclusion 1 --size 2
out_has "tree_size 2"
al 0 prove consistency 1 5 --json
out_has '"old_size":1'
out_has '"new_size":5'
al 2 prove inclusion 9
err_one_line
al 2 prove consistency 6 5
err_one_line

# Full audit, with the saved genesis checkpoint.
al 0 verify
out_has "ok: 5 entries"
al 0 verify --checkpoint "$T/cp1" --vkey "$T/ledger/log.vkey" --json
out_has '"valid":true'
done_ok
