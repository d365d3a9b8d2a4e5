# export and audit from the command line: audit trails (full, range, one
# incident), tiles (incremental, --from-checkpoint), tampering, usage errors.
. "$(dirname "$0")/lib.sh"

flip() { # flip FILE POS: xor one byte with 0x01
  python3 - "$1" "$2" <<'EOF'
import sys
p, pos = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, 'rb').read())
b[pos] ^= 1
open(p, 'wb').write(bytes(b))
EOF
}

CLAIM_ACTOR=  # these tests need no actor registry
new_ledger
member p:cert MEMBER
member p:vendor MEMBER
incident_json inc:test p:cert "$T/inc.json"
incident_json inc:other p:vendor "$T/inc2.json"
claim_json clm:one p:cert "$T/c1.json"
"$AL" -q sign "$T/inc.json" --key "$(keyof p:cert)" -o "$T/inc.s.json"
"$AL" -q sign "$T/inc2.json" --key "$(keyof p:vendor)" -o "$T/inc2.s.json"
"$AL" -q sign "$T/c1.json" --key "$(keyof p:cert)" -o "$T/c1.s.json"
"$AL" -q submit "$T/inc.s.json" "$T/inc2.s.json" "$T/c1.s.json" >/dev/null
"$AL" checkpoint >"$T/cp-old"
VK="$T/ledger/log.vkey"

# Full trail: header + 6 entries, verifies with only the key.
al 0 export -o "$T/full.jsonl"
err_has "exported 6 entries (6 selected"
[ "$(wc -l <"$T/full.jsonl")" = 7 ] || fail "full trail should have 7 lines"
head -1 "$T/full.jsonl" | grep -q '"format":"attrledger/audit-trail","version":1' || fail "header"
al 0 audit --vkey "$VK" "$T/full.jsonl"
out_has "ok: audit trail of test.example/ledger verified against tree size 6"
out_has "complete: every entry of the log"
al 0 audit --vkey "$VK" --json "$T/full.jsonl"
out_has '"valid":true'
out_has '"complete":true'
# stdout export is the same bytes; two exports are identical.
al 0 export
same_file "$T/out" "$T/full.jsonl"

# One incident: the claim and the incident, plus registrations for checking.
al 0 export --incident inc:test -o "$T/inc.jsonl" --json
out_has '"selected":2'
out_has '"context":3'
al 0 audit --vkey "$VK" "$T/inc.jsonl"
out_has "2 selected for incident inc:test"
grep -q 'inc:other' "$T/inc.jsonl" && fail "incident trail holds the other incident"
al 3 export --incident inc:nothing -o "$T/none.jsonl"
err_one_line
[ ! -e "$T/none.jsonl" ] || fail "failed export left a file"

# A range.
al 0 export --since 3 --until 4 -o "$T/range.jsonl"
al 0 audit --vkey "$VK" "$T/range.jsonl"
out_has "2 selected"

# Every tested single-byte change is caught (exit 1, one line naming it).
len=$(wc -c <"$T/inc.jsonl")
for pos in 0 10 60 150 300 $((len / 3)) $((len / 2)) $((len - 200)) $((len - 2)) $((len - 1)); do
  cp "$T/inc.jsonl" "$T/bad.jsonl"
  flip "$T/bad.jsonl" "$pos"
  al 1 audit --vkey "$VK" "$T/bad.jsonl"
  err_one_line
done
head -n 3 "$T/inc.jsonl" >"$T/cut.jsonl"
al 1 audit --vkey "$VK" "$T/cut.jsonl"
err_has "truncated"
# Another log's key (same name) is refused.
"$AL" -q key generate --name test.example/ledger --out "$T/other.key" --no-passphrase >/dev/null 2>&1
al 1 audit --vkey "$T/other.key.pub" "$T/full.jsonl"
err_has "line 1"

# Tiles, then more entries, then an incremental re-export.
al 0 export --format tiles -o "$T/tiles"
err_has "3 written, 0 unchanged"
[ -f "$T/tiles/checkpoint" ] && [ -f "$T/tiles/tile/0/000.p/6" ] &&
  [ -f "$T/tiles/tile/entries/000.p/6" ] || fail "tile files missing"
al 0 audit --vkey "$VK" --tiles "$T/tiles"
out_has "ok: tiles of test.example/ledger verified: 6 entries"
claim_json clm:two p:vendor "$T/c2.json"
"$AL" -q sign "$T/c2.json" --key "$(keyof p:vendor)" -o "$T/c2.s.json"
"$AL" -q submit "$T/c2.s.json" >/dev/null
al 0 export --format tiles -o "$T/tiles" --json
out_has '"written":3,"unchanged":0'
[ -f "$T/tiles/tile/0/000.p/6" ] || fail "old partial tile was removed"
al 0 audit --vkey "$VK" --tiles "$T/tiles" --from-checkpoint "$T/cp-old"
out_has "the log only grew"
al 0 audit --vkey "$VK" --tiles "$T/tiles" --from-checkpoint "$T/cp-old" --json
out_has '"consistent_with_old":true'
flip "$T/tiles/tile/entries/000.p/7" 40
al 1 audit --vkey "$VK" --tiles "$T/tiles"
err_one_line
rm "$T/tiles/tile/entries/000.p/7"
al 1 audit --vkey "$VK" --tiles "$T/tiles"
err_has "tile/entries/000.p/7 is missing"

# STIX 2.1: a bundle, byte-identical on re-export, every ref inside it.
al 0 export --format stix -o "$T/b1.json"
err_has "STIX objects"
al 0 export --format stix -o "$T/b2.json"
same_file "$T/b1.json" "$T/b2.json"
python3 - "$T/b1.json" <<'EOF' || fail "STIX bundle check"
import json, sys
b = json.load(open(sys.argv[1]))
assert b["type"] == "bundle"
ids = {o["id"] for o in b["objects"]}
types = {o["type"] for o in b["objects"]}
assert {"identity", "incident", "marking-definition", "extension-definition"} <= types, types
def walk(v, k=None):
    if isinstance(v, dict):
        for kk, vv in v.items():
            walk(vv, kk)
    elif k and k.endswith("_refs"):
        assert all(x in ids for x in v), (k, v)
    elif k and k.endswith("_ref") and "--" in str(v):
        assert v in ids, (k, v)
for o in b["objects"]:
    assert o["spec_version"] == "2.1"
    walk(o)
EOF
al 0 export --format stix --incident inc:test
out_has '"type": "incident"'
grep -q 'Incident inc:other' "$T/out" && fail "stix incident selection leaks the other incident"

# CSV and Graphviz.
al 0 export --format csv -o "$T/claims.csv"
head -1 "$T/claims.csv" | grep -q '^index,record_id,status,disputed,' || fail "csv header"
[ "$(wc -l <"$T/claims.csv")" = 3 ] || fail "csv should have a header and two claims"
grep -q ',clm:one,active,no,inc:test,' "$T/claims.csv" || fail "csv row of clm:one"
al 0 export --format dot --incident inc:test
out_has 'digraph attribution {'
out_has '"inc:test" [shape=box'
out_has '  label="Attribution graph: '
out_has '  subgraph cluster_legend {'
if command -v dot >/dev/null; then
  al 0 export --format svg -o "$T/g.svg"
  grep -q '<svg' "$T/g.svg" || fail "svg output"
  grep -q '>Legend</text>' "$T/g.svg" || fail "svg without the legend"
else
  echo "SKIP: export --format svg needs Graphviz's dot"
fi
# Without dot on PATH: a clear refusal, to -o and to stdout.
mkdir -p "$T/nobin"
PATH="$T/nobin" al 3 export --format svg -o "$T/g2.svg"
err_has "dot program (Graphviz) is not installed"
PATH="$T/nobin" al 3 export --format svg
err_has "dot program (Graphviz) is not installed"

# Usage and operational errors.
al 2 export --format nonsense
err_one_line
al 2 export --since x
al 2 export --format tiles
err_has "needs -o DIR"
al 2 audit "$T/full.jsonl"
al 2 audit --vkey "$VK"
al 2 audit --vkey "$VK" --tiles ftp://example.org/log
err_has "--tiles takes a directory or an http:// or https:// URL"
al 3 audit --vkey "$VK" "$T/missing.jsonl"
al 3 export -C "$T/nowhere"
al 0 help export
out_has "example:"
al 0 audit --help
out_has "--from-checkpoint"
done_ok
