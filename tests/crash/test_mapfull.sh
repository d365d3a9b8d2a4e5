# Map full: with the map capped by ATTRLEDGER_MAP_MAX, a submission that
# does not fit fails with a clear "store is full" message and exit 3, and
# the data file is byte-identical afterwards; raising the cap lets the same
# submission through (the map grows), and the ledger verifies throughout.
. "$(dirname "$0")/../cli/lib.sh"
CLAIM_ACTOR= CLAIM_INCIDENT=  # claims here name no actor or incident records

new_ledger
member p:cert MEMBER
# 24 records of about 50 KB: about 1.2 MB, more than a 1 MiB map holds.
big=$(head -c 50000 /dev/zero | tr '\0' 'x')
files=()
for i in $(seq 1 24); do
  cat >"$T/big$i.json" <<JSON
{"header": {"record_id": "clm:big$i", "author": "p:cert", "created": "2017-12-19T00:00:00Z",
  "provenance": "PROVENANCE_FIRST_PARTY", "tlp": "TLP_CLEAR"},
 "attribution_claim": {"claimant": "p:cert",
  "statement": "$i $big"}}
JSON
  files+=("$T/big$i.json")
done
before=$(data_sum)

expect 3 env ATTRLEDGER_MAP_MAX=1048576 "$AL" submit "${files[@]}" --key "$(keyof p:cert)"
err_one_line
err_has "attrledger: submit: ledger store is full"
err_has "raise ATTRLEDGER_MAP_MAX"
[ "$(data_sum)" = "$before" ] || fail "data.mdb changed by a failed submission"
checks=$((checks + 1))
al 0 verify
out_has "ok: 2 entries"
# A small record still fits under the same cap.
claim_json clm:small p:cert "$T/small.json"
expect 0 env ATTRLEDGER_MAP_MAX=1048576 "$AL" submit "$T/small.json" --key "$(keyof p:cert)"
# With room, the same batch goes in whole.
expect 0 env ATTRLEDGER_MAP_MAX=8388608 "$AL" submit "${files[@]}" --key "$(keyof p:cert)"
err_has "appended entry 26: clm:big24"
al 0 verify
out_has "ok: 27 entries"
# A cap below what the ledger already uses cannot shrink it: the next
# large submission fails cleanly, and nothing changes.
before=$(data_sum)
claim_json clm:after p:cert "$T/after.json"
sed -i "s/Test claim clm:after./$big/" "$T/after.json"
expect 3 env ATTRLEDGER_MAP_MAX=1048576 "$AL" submit "$T/after.json" --key "$(keyof p:cert)"
err_has "ledger store is full"
[ "$(data_sum)" = "$before" ] || fail "data.mdb changed by a failed submission"
checks=$((checks + 1))
al 0 verify
done_ok
