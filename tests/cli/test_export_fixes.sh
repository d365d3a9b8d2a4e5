# Issue 10 items 11-13 through the CLI:
#   - CSV: every leaf_hash cell is 64 lowercase hex digits (base64 could
#     start with '+' and get the formula guard's apostrophe), while a text
#     cell starting with '=' still gets the guard;
#   - tiles: the exported checkpoint carries the cosignatures stored with
#     `cosign add`, and a re-export after `cosign add` publishes them;
#   - submit --out-dir: a path that cannot take the receipts (a regular
#     file) is refused with exit 3 before anything is committed (ledger
#     bytes unchanged); a resubmission prints the same receipts as the
#     first submission, byte for byte.
. "$(dirname "$0")/lib.sh"

CLAIM_ACTOR=
new_ledger
member p:cert MEMBER
VK="$T/ledger/log.vkey"
incident_json inc:test p:cert "$T/inc.json"
"$AL" -q sign "$T/inc.json" --key "$(keyof p:cert)" -o "$T/inc.s.json"

# submit --out-dir: an unusable directory is refused before the commit.
: >"$T/not-a-dir"
before=$(data_sum)
al 3 submit "$T/inc.s.json" --out-dir "$T/not-a-dir"
err_one_line
err_has "--out-dir $T/not-a-dir"
[ "$(data_sum)" = "$before" ] || fail "a refused --out-dir changed the ledger"
checks=$((checks + 1))
# The first submission, then the same batch again: the same receipts.
al 0 submit "$T/inc.s.json" --out-dir "$T/r1"
cp "$T/out" "$T/first.out"
al 0 submit "$T/inc.s.json" --out-dir "$T/r2"
same_file "$T/out" "$T/first.out"
same_file "$T/r1/entry-2.tlog-proof" "$T/r2/entry-2.tlog-proof"

# CSV: 40 claims give some base64 leaf hashes starting with '+' (1 in 64
# each); the hex column never needs the guard.
for i in $(seq 1 40); do
  claim_json "clm:$i" p:cert "$T/c$i.json"
done
sed -i 's/"statement": "Test claim clm:1."/"statement": "=HYPERLINK(1)"/' "$T/c1.json"
"$AL" -q submit --key "$(keyof p:cert)" "$T"/c*.json >/dev/null || fail "submit claims"
al 0 export --format csv -o "$T/claims.csv"
python3 - "$T/claims.csv" <<'EOF' || fail "csv leaf_hash or guard"
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
h = rows[0]
li, si = h.index("leaf_hash"), h.index("statement")
assert len(rows) == 41, len(rows)
for r in rows[1:]:
    if not re.fullmatch(r"[0-9a-f]{64}", r[li]):
        sys.exit("leaf_hash %r is not 64 hex digits" % r[li])
if not any(r[si] == "'=HYPERLINK(1)" for r in rows[1:]):
    sys.exit("the text guard is gone")
EOF
checks=$((checks + 1))
# Tiles: export, cosign the checkpoint as a witness, store the
# cosignature, export again: the checkpoint file now carries it.
al 0 export --format tiles -o "$T/tiles"
grep -q 'witness.test/w1' "$T/tiles/checkpoint" && fail "cosignature before any was stored"
"$AL" checkpoint >"$T/cp"
"$AL" -q witness init --name witness.test/w1 --out "$T/w1.key" --no-passphrase >/dev/null
al 0 witness cosign --key "$T/w1.key" --state "$T/w1.state" --log-vkey "$VK" "$T/cp"
cp "$T/out" "$T/cosig"
al 0 cosign add --witness "$T/w1.key.pub" "$T/cosig"
al 0 export --format tiles -o "$T/tiles"
grep -q '^— witness.test/w1 ' "$T/tiles/checkpoint" ||
  fail "the re-exported tiles checkpoint lacks the stored cosignature"
checks=$((checks + 1))
al 0 checkpoint --with-cosignatures
same_file "$T/out" "$T/tiles/checkpoint"
done_ok
