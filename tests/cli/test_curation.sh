# The body's curation record (issue 11 item 2): an admin moves an incident
# key to another member and replaces its shown text, with a reason. The
# incident view (text and JSON) shows the curated name, the owner and the
# curation line; a member's curation, the old owner's revision and a
# curation of an unknown key are refused (exit 1, one line, ledger
# unchanged); the new owner's revision is accepted; verify replays it all.
. "$(dirname "$0")/lib.sh"

new_ledger
member p:m1 MEMBER
member p:m2 MEMBER
incident_json inc:test p:m1 "$T/inc.json"
"$AL" -q submit --key "$(keyof p:m1)" "$T/inc.json" >/dev/null

# curation ID AUTHOR SUPERSEDES BODY: write $T/ID.json
curation() {
  local sup=""
  [ -n "$3" ] && sup="\"supersedes\": \"$3\","
  cat >"$T/$1.json" <<JSON
{"header": {"record_id": "$1", "author": "$2", "created": "2024-02-01T00:00:00Z", $sup
  "provenance": "PROVENANCE_FIRST_PARTY", "tlp": "TLP_CLEAR"},
 "curation": {$4}}
JSON
}
refused() { # refused KEY FILE WHAT: exit 1, one line naming WHAT, ledger unchanged
  local before
  before=$(data_sum)
  al 1 submit --key "$1" "$2"
  err_one_line
  err_has "$3"
  [ "$(data_sum)" = "$before" ] || fail "a refused record changed the ledger"
}

# The template is a valid curation the admin can fill in.
al 0 new curation
out_has '"curation"'
out_has '"target_ref"'
out_has '"reason"'

# A member cannot curate (exit 1, and the HTTP code table maps it to 403).
curation cur:m2 p:m2 "" '"target_ref": "inc:test", "new_owner": "p:m2", "reason": "mine now"'
refused "$(keyof p:m2)" "$T/cur:m2.json" "author p:m2 lacks the ADMIN role needed for curation"
# Nor can anyone curate a key that does not exist.
curation cur:x p:admin "" '"target_ref": "inc:none", "name": "X", "reason": "r"'
refused "$T/keys/admin.key" "$T/cur:x.json" "curation.target_ref names inc:none, which is not in the ledger"

# The admin hands inc:test to p:m2 and replaces an abusive name.
curation cur:1 p:admin "" '"target_ref": "inc:test", "new_owner": "p:m2",
  "name": "WannaCry outbreak", "reason": "the name was abusive; p:m1 left the body"'
al 0 submit --key "$T/keys/admin.key" "$T/cur:1.json"

al 0 incident inc:test
out_has "INCIDENT inc:test: WannaCry outbreak"
out_has "CURATIONS BY THE BODY (owner now: p:m2)"
out_has "cur:1 by p:admin: owner -> p:m2; name -> \"WannaCry outbreak\"; reason: the name was abusive; p:m1 left the body"
al 0 incident inc:test --json
out_has '"owner":"p:m2"'
out_has '"name":"WannaCry outbreak"'
out_has '"curated":{'

# STIX: a new version of the same incident object (the id stays derived
# from inc:test) with the curated name and who curated it and why; the
# graph labels the node with the curated name; the audit trail of the
# incident carries the curation and audits.
al 0 export --format stix
python3 - "$T/out" <<'PY' || fail "STIX export does not show the curation"
import json, sys
objs = [o for o in json.load(open(sys.argv[1]))["objects"] if o["type"] == "incident"]
ids = {o["id"] for o in objs}
assert len(ids) == 1, ids
last = objs[-1]
assert last["name"] == "WannaCry outbreak", last["name"]
ext = [e for e in last["extensions"].values() if "curation" in e][0]
assert ext["curation"] == {"curated_by": "p:admin", "new_owner": "p:m2",
                           "reason": "the name was abusive; p:m1 left the body"}, ext
assert ext["record_id"] == "cur:1", ext
assert last["modified"] > objs[0]["modified"]
PY
checks=$((checks + 1))
al 0 export --format dot
out_has 'label="WannaCry outbreak"'
al 0 export --incident inc:test -o "$T/trail.jsonl"
grep -qF '"record_id":"cur:1"' "$T/trail.jsonl" || fail "the incident's audit trail lacks its curation"
al 0 audit --vkey "$T/ledger/log.vkey" "$T/trail.jsonl"

# The old owner may no longer revise; the new owner may.
sed -e 's/"record_id": "inc:test"/"record_id": "inc:test@v2", "supersedes": "inc:test"/' \
    -e 's/Incident inc:test/Renamed by p:m1/' "$T/inc.json" >"$T/v2-m1.json"
refused "$(keyof p:m1)" "$T/v2-m1.json" "only p:m2, the owner of the key of inc:test since its curation, may supersede it"
sed -e 's/"author": "p:m1"/"author": "p:m2"/' -e 's/Renamed by p:m1/Revised by p:m2/' \
    "$T/v2-m1.json" >"$T/v2-m2.json"
al 0 submit --key "$(keyof p:m2)" "$T/v2-m2.json"
# The owner's newer version is shown again; the curation stays listed.
al 0 incident inc:test
out_has "INCIDENT inc:test: Revised by p:m2"
out_has "cur:1 by p:admin"

# An actor: the body replaces a disguising name; `actor NAME` finds it by
# the curated name, no longer by the one it replaced, and a claim names it so.
actor_json act:test p:m1 "$T/act.json"
sed -i 's/"Actor act:test"/"Lazarus Group"/' "$T/act.json"
"$AL" -q submit --key "$(keyof p:m1)" "$T/act.json" >/dev/null
curation cur:act p:admin "" '"target_ref": "act:test", "name": "Cluster 7",
  "description": "", "reason": "the name disguised another actor"'
al 0 submit --key "$T/keys/admin.key" "$T/cur:act.json"
al 0 actor "Cluster 7"
out_has "ACTOR act:test: Cluster 7"
out_has "CURATIONS BY THE BODY (owner now: p:m1)"
out_has "name -> \"Cluster 7\"; description replaced; reason: the name disguised another actor"
al 1 actor "Lazarus Group"
claim_json clm:1 p:m2 "$T/clm.json"
"$AL" -q submit --key "$(keyof p:m2)" "$T/clm.json" >/dev/null
al 0 incident inc:test --json
out_has '"attributed_to_name":"Cluster 7"'

# The incident's audit trail replays the transfer: p:m2's revision of
# p:m1's report is checked against the curation it carries.
al 0 export --incident inc:test -o "$T/trail2.jsonl"
al 0 audit --vkey "$T/ledger/log.vkey" "$T/trail2.jsonl"
al 0 verify
out_has "ok:"
done_ok
