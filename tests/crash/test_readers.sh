# Readers killed inside a read transaction leave their LMDB reader slots
# taken for as long as any other process keeps the environment open (as
# concurrent submitters do). With all 126 slots held by dead processes,
# every command used to fail with "MDB_READERS_FULL: Environment maxreaders
# limit reached"; the store now frees the slots of dead processes when it
# opens the environment or finds the table full.
. "$(dirname "$0")/../cli/lib.sh"
CLAIM_ACTOR= CLAIM_INCIDENT=  # claims here name no actor or incident records

[ -n "$TAMPER" ] || fail "ATTRLEDGER_TAMPER is not set"
new_ledger
member p:cert MEMBER
claim_json clm:r p:cert "$T/c.json"

expect 0 "$TAMPER" "$T/ledger" stale-readers 126 "$AL" verify
out_has "ok: 2 entries"
expect 0 "$TAMPER" "$T/ledger" stale-readers 126 "$AL" submit "$T/c.json" --key "$(keyof p:cert)"
err_has "appended entry 2: clm:r"
expect 0 "$TAMPER" "$T/ledger" stale-readers 126 "$AL" show clm:r
out_has "record_id   clm:r"
al 0 verify
out_has "ok: 3 entries"
done_ok
