# The norms register and records written before it (issue 15):
#   - a ledger written by the code before the schema grew (the full audit
#     trail of the 150-record sample, tests/vectors/ledger-v1) still audits
#     with the current binary: every old record decodes, passes the rules
#     (the norms rules included) and matches its leaf hash byte for byte;
#   - `new instrument|norm|commitment` templates sign and their bodies are
#     the new types.
# The views, exports and STIX of the norms sample are in cli.sample; the
# rules (accepted, refused, forged) in unit.norms.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

V=$SRC/tests/vectors/ledger-v1
gzip -dc "$V/sample-trail.jsonl.gz" >"$T/old.jsonl" || fail "cannot unpack the old trail"
al 0 audit --vkey "$V/log.vkey" "$T/old.jsonl"
out_has "verified against tree size 151 (root FldYFrDayhE+vm/CuJ3EWtucHSIDWGCdbsHLL+LDREw=)"
out_has "151 entries (151 selected, 0 for checking and reference), 188 signatures; complete"
# One changed byte in an old record is still caught.
sed '5s/WannaCry/WannaCrz/' "$T/old.jsonl" >"$T/bad.jsonl"
cmp -s "$T/old.jsonl" "$T/bad.jsonl" && sed '0,/"statement"/s/"statement": *"/&X/' "$T/old.jsonl" >"$T/bad.jsonl"
cmp -s "$T/old.jsonl" "$T/bad.jsonl" && fail "could not alter the old trail"
al 1 audit --vkey "$V/log.vkey" "$T/bad.jsonl"
err_one_line

"$AL" -q key generate --name p:registry --out "$T/k.key" --no-passphrase >/dev/null 2>&1
for t in instrument norm commitment; do
  al 0 new "$t"
  cp "$T/out" "$T/$t.json"
  al 0 sign "$T/$t.json" --key "$T/k.key"
  out_has '"signatures": ['
done

done_ok
