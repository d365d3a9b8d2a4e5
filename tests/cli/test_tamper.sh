# Tampering with the stored ledger is caught by `verify` (exit 1), which
# names the first bad index.
. "$(dirname "$0")/lib.sh"

[ -n "$TAMPER" ] || fail "ATTRLEDGER_TAMPER is not set"
new_ledger
member p:cert MEMBER
actor_json act:test p:cert "$T/act.json"
"$AL" -q submit --key "$(keyof p:cert)" "$T/act.json" >/dev/null
incident_json inc:test p:cert "$T/inc.json"
"$AL" -q sign "$T/inc.json" --key "$(keyof p:cert)" -o "$T/inc.signed.json"
for i in 1 2 3; do
  claim_json "clm:$i" p:cert "$T/c$i.json"
  "$AL" -q sign "$T/c$i.json" --key "$(keyof p:cert)" -o "$T/c$i.signed.json"
done
"$AL" -q submit "$T/inc.signed.json" "$T/c1.signed.json" >/dev/null
cp -a "$T/ledger" "$T/older"
"$AL" checkpoint >"$T/cp-older"
"$AL" -q submit "$T/c2.signed.json" "$T/c3.signed.json" >/dev/null
"$AL" checkpoint >"$T/cp-final"
al 0 verify
out_has "ok: 7 entries"
cp -a "$T/ledger" "$T/pristine"
restore() { rm -rf "$T/ledger"; cp -a "$T/pristine" "$T/ledger"; }

# A flipped byte in entry 5 (clm:2): the leaf no longer matches.
len=$("$TAMPER" "$T/ledger" get entries 5 | wc -c)
for pos in 0 7 $((len / 2)) $((len - 1)); do
  "$TAMPER" "$T/ledger" flip entries 5 "$pos"
  al 1 verify
  err_one_line
  err_has "entry 5"
  restore
done

# Replace an entry with a validly signed one from another ledger.
T2="$T/other"
mkdir -p "$T2"
( AL2=$AL; cd "$T2"
  "$AL2" -q key generate --name p:admin --out a.key --no-passphrase >/dev/null 2>&1
  "$AL2" init l --origin test.example/ledger --admin a.key.pub --no-passphrase >/dev/null 2>&1 )
"$TAMPER" "$T2/l" get entries 0 >"$T/foreign"
"$TAMPER" "$T/ledger" put entries 0 "$T/foreign"
al 1 verify
err_has "entry 0"
restore

# A stored hash edited.
"$TAMPER" "$T/ledger" flip hashes 3 0
al 1 verify
err_has "stored hash 3"
restore

# An index row edited.
"$TAMPER" "$T/ledger" del records s:clm:2
al 1 verify
err_has "entry 5 (clm:2)"
err_has "record_id index row is missing"
restore

# A stored checkpoint edited (its signature breaks).
"$TAMPER" "$T/ledger" flip checkpoints 5 5
al 1 verify
err_has "stored checkpoint 5"
restore

# Rollback: the operator puts back an older copy of the store. It is
# internally consistent, so only a checkpoint kept outside can tell.
rm -rf "$T/ledger"
cp -a "$T/older" "$T/ledger"
al 0 verify
out_has "ok: 5 entries"
al 1 verify --checkpoint "$T/cp-final"
err_has "rolled back"
# The older checkpoint is consistent with the full ledger.
restore
al 0 verify --checkpoint "$T/cp-older"
# Fork: the same size with another history. Build a second ledger with the
# same log key and a different entry 5, then present its checkpoint.
claim_json clm:other p:cert "$T/co.json"
"$AL" -q sign "$T/co.json" --key "$(keyof p:cert)" -o "$T/co.signed.json"
cp -a "$T/older" "$T/forked"
ATTRLEDGER_DIR="$T/forked" "$AL" -q submit "$T/c2.signed.json" "$T/co.signed.json" >/dev/null
ATTRLEDGER_DIR="$T/forked" "$AL" checkpoint >"$T/cp-fork"
al 1 verify --checkpoint "$T/cp-fork"
err_has "forked"
done_ok
