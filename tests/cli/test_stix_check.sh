# The STIX bundles a strict consumer receives pass ../shared/tools/stix/check
# (the OASIS STIX 2.1 schemas, the spec rules they cannot express, and the
# Incident Core / Impact extension rules): the embedded sample's bundle,
# and a generated ledger of 1,000 records whose evidence carries
# observables, well-formed and defanged or malformed ones mixed.
# SKIPs with a message when ../shared (next to the source tree) is absent:
# the suite does not depend on it.
. "$(dirname "$0")/lib.sh"

CHECK="$SRC/../shared/tools/stix/check"
if [ ! -x "$CHECK" ] && [ ! -f "$CHECK" ]; then
  echo "SKIP: $CHECK not found (the STIX check lives outside the repository)"
  exit 0
fi

# stix_check BUNDLE: the checker passes it.
stix_check() {
  bash "$CHECK" "$1" >"$T/check.out" 2>&1 ||
    fail "stix check of $1: $(grep -v "^==\|  valid " "$T/check.out" | tail -30)"
  grep -qx "stix check: all passed" "$T/check.out" || fail "stix check printed no verdict"
  grep "stix check:" "$T/check.out"
  checks=$((checks + 1))
}

# The sample's bundle.
sample_ledger
al 0 export --format stix -o "$T/sample.json"
stix_check "$T/sample.json"
unset ATTRLEDGER_DIR ATTRLEDGER_FAKE_TIME_MS

# 1,000 records: an actor, an incident and 998 evidence records, each with
# observables; every 7th carries defanged or malformed values.
CLAIM_ACTOR=
new_ledger
member p:cert MEMBER
actor_json act:test p:cert "$T/actor.json"
incident_json inc:test p:cert "$T/inc.json"
python3 - "$T/gen" <<'EOF'
import json, os, sys
d = sys.argv[1]
os.makedirs(d)
for i in range(998):
    obs = [
        {"type": "ipv4", "value": "10.%d.%d.%d" % (i // 65536 % 256, i // 256 % 256, i % 256)},
        {"type": "domain", "value": "host%d.evil.example" % i},
        {"type": "url", "value": "https://cdn%d.evil.example/p?q=%d" % (i, i)},
        {"type": "sha256", "value": "%064x" % (i + 1)},
    ]
    if i % 7 == 0:
        obs += [
            {"type": "url", "value": "hxxp://evil[.]example/%d" % i},
            {"type": "domain", "value": "evil%d[.]example" % i},
            {"type": "ipv4", "value": "256.1.1.%d" % (i % 256)},
            {"type": "email", "value": "ops%d@evil[.]example" % i},
        ]
    rec = {"header": {"record_id": "ev:%04d" % i, "author": "p:cert",
                      "created": "2017-06-01T00:00:00Z",
                      "provenance": "PROVENANCE_FIRST_PARTY", "tlp": "TLP_CLEAR"},
           "evidence": {"incident_refs": ["inc:test"], "title": "IOCs %d" % i,
                        "observables": obs}}
    with open(os.path.join(d, "ev-%04d.json" % i), "w") as f:
        json.dump(rec, f)
EOF
"$AL" -q submit --key "$(keyof p:cert)" "$T/actor.json" "$T/inc.json" "$T"/gen/ev-*.json \
  >/dev/null || fail "submit of the generated records"
al 0 verify --vkey "$T/ledger/log.vkey"
al 0 export --format stix -o "$T/big.json"
# Defanged or malformed values stay unmapped (as written, in the
# grouping's unmapped_observables); the well-formed ones become SCOs.
python3 - "$T/big.json" <<'EOF' || fail "observables mapped wrongly"
import json, sys
objs = json.load(open(sys.argv[1]))["objects"]
bad = [o["value"] for o in objs
       if o["type"] in ("url", "domain-name", "ipv4-addr", "email-addr")
       and ("[" in o["value"] or "hxxp" in o["value"] or o["value"].startswith("256."))]
if bad:
    sys.exit("became SCOs: %s" % bad[:3])
um = [u for o in objs if o["type"] == "grouping"
      for u in json.dumps(o.get("extensions", {})).split('"') if "[.]" in u or "hxxp" in u]
if "hxxp://evil[.]example/0" not in um:
    sys.exit("hxxp://evil[.]example/0 is not in any unmapped list")
n = sum(1 for o in objs if o["type"] == "url")
if n < 998:
    sys.exit("%d url objects, want >= 998" % n)
EOF
checks=$((checks + 1))
stix_check "$T/big.json"
done_ok
