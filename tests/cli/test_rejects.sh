# Rejections: every bad input gets one clear line on stderr, a non-zero
# exit code, and leaves the ledger's data file byte-for-byte unchanged.
. "$(dirname "$0")/lib.sh"

new_ledger
member p:cert MEMBER
member p:panel PANELIST
seed p:cert
incident_json inc:test p:cert "$T/inc.json"
before=$(data_sum)
unchanged() { [ "$(data_sum)" = "$before" ] || fail "ledger data changed: $*"; checks=$((checks + 1)); }

# A record signed by a key the ledger does not know.
"$AL" -q key generate --name p:stranger --out "$T/stranger.key" --no-passphrase >/dev/null 2>&1
claim_json clm:x p:cert "$T/c.json"
al 0 sign "$T/c.json" --key "$T/stranger.key" -o "$T/c.stranger.json"
al 1 submit "$T/c.stranger.json"
err_one_line
err_has "unknown key"
unchanged "unknown key"

# Signed by a registered key, but the author is someone else.
claim_json clm:y p:panel "$T/c2.json"
al 0 sign "$T/c2.json" --key "$(keyof p:cert)" -o "$T/c2.signed.json"
al 1 submit "$T/c2.signed.json"
err_has "no signature by an active key of its author p:panel"
unchanged "wrong author"

# A panelist may not submit claims (role gate).
al 0 sign "$T/c2.json" --key "$(keyof p:panel)" -o "$T/c3.signed.json"
al 1 submit "$T/c3.signed.json"
err_has "lacks the MEMBER role"
unchanged "role"

# A signature that does not verify (record bytes changed after signing).
claim_json clm:z p:cert "$T/c4.json"
"$AL" -q sign "$T/c4.json" --key "$(keyof p:cert)" -o "$T/c4.signed.json"
claim_json clm:w p:cert "$T/c5.json"
"$AL" -q sign "$T/c5.json" --key "$(keyof p:cert)" -o "$T/c5.signed.json"
rec5=$(grep '"record"' "$T/c5.signed.json")
sed "s#^.*\"record\".*\$#$rec5#" "$T/c4.signed.json" >"$T/c6.signed.json"
al 1 submit "$T/c6.signed.json"
err_has "does not verify"
unchanged "bad signature"

# A batch with one bad record writes nothing at all.
al 1 submit "$T/c4.signed.json" "$T/c.stranger.json"
err_has "clm:x"
unchanged "batch"
al 0 log
[ "$(wc -l <"$T/out")" = 5 ] || fail "batch partially applied"

# Same record_id, different content.
"$AL" -q submit "$T/c4.signed.json" >/dev/null 2>&1
before=$(data_sum)
claim_json clm:z p:cert "$T/c7.json"
sed -i 's/Test claim/Changed claim/' "$T/c7.json"
"$AL" -q sign "$T/c7.json" --key "$(keyof p:cert)" -o "$T/c7.signed.json"
al 1 submit "$T/c7.signed.json"   # a rule refusal (issue 11, item 9)
err_has "record_id already used by entry 5"
unchanged "reused record_id"

# Malformed inputs.
printf '{"header": {' >"$T/bad1.json"
al 2 submit "$T/bad1.json" --key "$(keyof p:cert)"
err_one_line
err_has "bad1.json"
printf '{"header": {"record_id": "a", "author": "p:cert", "provenance": "PROVENANCE_FIRST_PARTY"}, "bogus": 1}' >"$T/bad2.json"
al 2 submit "$T/bad2.json" --key "$(keyof p:cert)"
err_has "unknown field"
printf '{"record": "!!!", "signatures": []}' >"$T/bad3.json"
al 2 submit "$T/bad3.json"
err_one_line
al 2 submit "$T/inc.json"
err_has "not signed"
al 3 submit "$T/does-not-exist.json"
err_one_line
unchanged "malformed inputs"

# Wrong passphrase: an encrypted key and a wrong passphrase file.
printf 'correct horse\n' >"$T/pass"
printf 'wrong horse\n' >"$T/wrong"
al 0 key generate --name p:enc --out "$T/enc.key" --passphrase-file "$T/pass"
al 0 sign "$T/inc.json" --key "$T/enc.key" --passphrase-file "$T/pass" -o "$T/ok.json"
al 3 sign "$T/inc.json" --key "$T/enc.key" --passphrase-file "$T/wrong" -o "$T/no.json"
err_has "wrong passphrase"
[ ! -e "$T/no.json" ] || fail "output written despite a wrong passphrase"
al 3 key generate --name p:enc --out "$T/enc.key" --no-passphrase
err_has "exists"
chmod 644 "$T/enc.key"
al 3 sign "$T/inc.json" --key "$T/enc.key" --passphrase-file "$T/pass"
err_has "600"

# Usage errors exit 2 with one line.
al 2 frobnicate
err_one_line
al 2 submit --bogus x
err_one_line
al 2 show
err_one_line
env -u ATTRLEDGER_DIR "$AL" verify >"$T/out" 2>"$T/err" && fail "verify without -C succeeded" || true
err_has "no ledger directory"
al 2 init "$T/l2"
err_has "--origin"
al 3 init "$T/ledger" --origin x.example --no-passphrase
err_has "already holds a ledger"
al 1 show 999
err_has "no entry 999"
al 3 show -C "$T/nowhere" 0
err_one_line

# Help for every command, from both forms.
for cmd in init key sign submit show log checkpoint prove verify verify-receipt; do
  al 0 help "$cmd"
  out_has "usage: attrledger $cmd"
  out_has "example:"
  al 0 "$cmd" --help
  out_has "usage: attrledger $cmd"
done
al 0 help
out_has "commands:"
al 2 help nonsense
unchanged "usage"
done_ok
