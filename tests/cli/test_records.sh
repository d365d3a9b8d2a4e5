# `attrledger new TYPE` prints a commented template for every record type,
# and each one signs as printed (sign ignores // comments, but not inside
# strings); every JSON example of docs/RECORDS.md signs too.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

"$AL" -q key generate --name p:cert-ua --out "$T/k.key" --no-passphrase >/dev/null 2>&1
al 0 new
out_has "record types"
types=$(awk 'NR > 1 {print $1}' "$T/out")
[ "$(echo "$types" | tr '\n' ' ')" = "participant key_revocation actor incident_report evidence attribution_claim opinion retraction finding panel_vote instrument norm commitment curation " ] ||
  fail "new lists: $types"
for t in $types; do
  al 0 new "$t"
  cp "$T/out" "$T/$t.json"
  grep -q '^ *// ' "$T/$t.json" || fail "template $t has no comments"
  grep -q "\"$t\": {" "$T/$t.json" || fail "template $t has no $t body"
  al 0 sign "$T/$t.json" --key "$T/k.key"
  out_has '"signatures": ['
done
al 2 new nonsense
err_has 'unknown record type "nonsense"'
err_one_line

# A // inside a string is text, not a comment.
sed 's|"statement": "The claimant.s own words."|"statement": "see https://example.org/a // b"|' \
  "$T/attribution_claim.json" >"$T/url.json"
grep -q 'https://example.org/a // b' "$T/url.json" || fail "sed did not edit the template"
al 0 sign "$T/url.json" --key "$T/k.key"
jq -r .record "$T/out" | base64 -d | grep -qaF 'see https://example.org/a // b' ||
  fail "the signed record lost the text after // in a string"
checks=$((checks + 1))

# The guide's examples are valid records.
n=0
while IFS= read -r -d '' block; do
  n=$((n + 1))
  printf '%s' "$block" >"$T/guide-$n.json"
  al 0 sign "$T/guide-$n.json" --key "$T/k.key"
done < <(awk '/^```json$/{b=1; next} b && /^```$/{b=0; printf "%c", 0; next} b' \
  "$SRC/docs/RECORDS.md")
[ $n -eq 15 ] || fail "docs/RECORDS.md has $n JSON examples, want 15 (one per type, and a claim citing a norm)"
done_ok
