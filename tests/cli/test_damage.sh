# A damaged entry (stored bytes that no longer decode) fails exactly the
# readers that need it, with exit 3 and a message naming it; every other
# reader passes over it (SECURITY.md, "A damaged entry"). `verify` still
# fails on it.
. "$(dirname "$0")/lib.sh"

[ -n "$TAMPER" ] || fail "ATTRLEDGER_TAMPER is not set"
new_ledger
member p:cert MEMBER
seed p:cert # 2 act:test, 3 inc:test
incident_json inc:b p:cert "$T/incb.json"
claim_json clm:1 p:cert "$T/c1.json"
CLAIM_INCIDENT=inc:b claim_json clm:2 p:cert "$T/c2.json"
for f in incb c1 c2; do # 4 inc:b, 5 clm:1 (on inc:test), 6 clm:2 (on inc:b)
  "$AL" -q submit --key "$(keyof p:cert)" "$T/$f.json" >/dev/null
done
al 0 verify
VK="$T/ledger/log.vkey"

# Entry 5 becomes bytes that are not a leaf.
printf '\377\377\377\007\001' >"$T/junk"
"$TAMPER" "$T/ledger" put entries 5 "$T/junk"
al 1 verify
err_one_line
err_has "entry 5"

# Readers that do not need entry 5.
al 0 export --until 1 -o "$T/head.jsonl"
al 0 audit --vkey "$VK" "$T/head.jsonl"
al 0 export --since 2 --until 4 -o "$T/mid.jsonl"
al 0 audit --vkey "$VK" "$T/mid.jsonl"
al 0 export --incident inc:b -o "$T/b.jsonl"
al 0 audit --vkey "$VK" "$T/b.jsonl"
for f in stix csv; do
  al 0 export --format "$f" --incident inc:b
  out_has "clm:2"
done
al 0 export --format dot --incident inc:b
out_has '"inc:b" -> "act:test"'
al 0 export --format norms-csv --incident inc:b
al 0 incident inc:b
out_has "clm:2"
al 0 show 4
out_has "inc:b"
al 0 show --json 6
out_has "\"clm:2\""
al 0 stats
out_has "damaged entries           5 (not read"
al 0 stats --json
out_has "\"damaged_entries\":[5]"
al 0 norms

# Readers that need it: exit 3, one line naming entry 5.
for args in "export" "export --since 5" "export --incident inc:test" \
  "export --format stix" "export --format csv --incident inc:test" \
  "export --format dot --incident inc:test" "incident inc:test" "actor act:test" \
  "show 5" "show --json clm:1"; do
  # shellcheck disable=SC2086
  al 3 $args
  err_one_line
  err_has "entry 5"
done
done_ok
