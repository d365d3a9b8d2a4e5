# The embedded sample (examples/sample, 244 records) loaded with the demo's
# loader (scripts/sample.sh), then:
#   - `incident --json` of WannaCry and NotPetya and `stats --json` compared
#     (as `jq .` of their one compact line) with the reviewed golden files in tests/golden/;
#   - the text case files of WannaCry, Olympic Destroyer, Lazarus Group and
#     stats compared byte for byte with tests/golden/*.txt (dates, time order,
#     statements, plain words, not-published marks), lookup by name and the
#     "did you mean" suggestions;
#   - the actor and participant views, and a full verify.
# integrated_time is pinned with ATTRLEDGER_FAKE_TIME_MS; keys are generated
# per run, so the golden files hold no keys or signatures.
#
# To regenerate the golden files after an intended change of the views:
#   ATTRLEDGER_UPDATE_GOLDEN=1 ctest -R cli.sample
# then review the diff by eye before committing it.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || fail "jq is required (scripts/common.sh installs it)"
GOLDEN=$SRC/tests/golden
sample_ledger

# golden NAME ARGS...: the command's stdout is one line of compact JSON
# (every --json output is) whose `jq .` form equals tests/golden/NAME
# (kept indented so that a change reads as a diff).
golden() {
  local name=$1
  shift
  al 0 "$@"
  [ "$(wc -l <"$T/out")" = 1 ] && [ "$(tail -c 1 "$T/out" | od -An -c | tr -d ' ')" = '\n' ] ||
    fail "$* is not one line of JSON ending with a newline"
  jq . "$T/out" >"$T/out.pretty" || fail "$* is not JSON"
  if [ "${ATTRLEDGER_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$T/out.pretty" "$GOLDEN/$name"
    echo "updated $GOLDEN/$name" >&2
  fi
  cmp -s "$T/out.pretty" "$GOLDEN/$name" ||
    fail "$* differs from tests/golden/$name: $(diff "$GOLDEN/$name" "$T/out.pretty" | head -20)"
  checks=$((checks + 2))
}
# golden_text NAME ARGS...: the command's text output equals tests/golden/NAME
# byte for byte (the case files people read: dates, words, order).
golden_text() {
  local name=$1
  shift
  al 0 "$@"
  if [ "${ATTRLEDGER_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$T/out" "$GOLDEN/$name"
    echo "updated $GOLDEN/$name" >&2
  fi
  cmp -s "$T/out" "$GOLDEN/$name" ||
    fail "$* differs from tests/golden/$name: $(diff "$GOLDEN/$name" "$T/out" | head -20)"
  checks=$((checks + 1))
}
# jq_is FILTER WANT: jq -c FILTER of the last stdout equals WANT.
jq_is() {
  local got
  got=$(jq -c "$1" "$T/out") || fail "stdout is not JSON"
  [ "$got" = "$2" ] || fail "jq '$1' is $got, want $2"
  checks=$((checks + 1))
}

# The whole ledger verifies.
al 0 verify --vkey "$ATTRLEDGER_DIR/log.vkey"
out_has "ok: 245 entries, 282 signatures"

# Golden case files and statistics.
golden sample-incident-wannacry-2017.json incident inc:wannacry-2017 --json
golden sample-incident-notpetya-2017.json incident inc:notpetya-2017 --json
golden sample-stats.json stats --json
# Any version's record_id names the same case file.
golden sample-incident-wannacry-2017.json incident inc:wannacry-2017@v2 --json

# Text case files (issue 16 item 6): whole files compared, so dates, time
# order, statements, plain words and the publication marks are all checked.
golden_text sample-incident-wannacry-2017.txt incident inc:wannacry-2017
golden_text sample-incident-olympic-destroyer-2018.txt incident inc:olympic-destroyer-2018
golden_text sample-actor-lazarus.txt actor "Lazarus Group"
golden_text sample-stats.txt stats
al 0 incident inc:wannacry-2017
out_has "ATTRIBUTION CLAIMS (9), in time order"
out_has "[96] 2017-12-21 p:kp-mfa denial (strongly disagrees) [accused party]: active"
out_has "votes: 4 approve, 1 reject, 0 abstain, 0 recuse; rule 4 of 5 (a recusal reduces the panel), counted panel 5, approvals needed 4"
out_has "[112] 2018-10-15 fnd:wannacry IAB-2017-001: attributed, with dissent; active; published (quorum reached at entry 117)"
out_has "dissent (p:panel-04): "
# A claim dated before an earlier entry is listed first: time order.
grep -n "clm:wc-us@v2: active" "$T/out" | cut -d: -f1 >"$T/a"
grep -n "clm:wc-uk-fco: superseded" "$T/out" | cut -d: -f1 >"$T/b"
[ "$(cat "$T/a")" -lt "$(cat "$T/b")" ] || fail "claims are not in time order"
al 0 incident inc:notpetya-2017
out_has "votes: 5 approve, 0 reject, 0 abstain, 0 recuse"
out_has "published (quorum reached at entry 131)"
al 0 incident inc:olympic-destroyer-2018
out_has "[98] 2018-02-13 clm:od-iab-prelim: retracted (at entry 107)"
out_has "votes: 3 approve, 0 reject, 1 abstain, 1 recuse; rule 4 of 5 (a recusal reduces the panel), counted panel 4, approvals needed 4"
out_has "; NOT PUBLISHED (quorum not reached)"
grep -q "; published" "$T/out" && fail "Olympic Destroyer must not be published"
al 0 incident inc:equifax-2017@v3
out_has "[89] 2017-09-07 inc:equifax-2017 by p:equifax: superseded (by entry 91)"
out_has "[105] 2018-03-01 inc:equifax-2017@v3 by p:equifax: active"
out_has "none: the body has not ruled on this incident"
al 1 incident inc:nope
err_one_line
err_has "no incident inc:nope"
# By name or alias, as actors are; a miss suggests names on stderr, exit 1.
al 0 incident "wannacry ransomware worm outbreak" --json
jq_is .record_id '"inc:wannacry-2017"'
al 0 incident NotPetya --json
jq_is .record_id '"inc:notpetya-2017"'
al 1 incident "Wanacry"
err_one_line
err_has "attrledger: incident: no incident Wanacry; did you mean: WanaCrypt0r, WannaCry ransomware worm outbreak, WannaCrypt?"
al 1 actor "Lazarus Grp"
err_one_line
err_has "attrledger: actor: no actor named Lazarus Grp; did you mean: Lazarus Group?"
al 0 participant "ministry of foreign affairs of the dprk" --json
jq_is .participant.participant_id '"p:kp-mfa"'
al 1 participant "Ministry of Foreign Affairs of the DPRC"
err_one_line
err_has "attrledger: participant: no participant Ministry of Foreign Affairs of the DPRC; did you mean: Ministry of Foreign Affairs of the DPRK, Ministry of Foreign Affairs of the People's Republic of China?"
al 1 --json participant "p:kp-mfaa"
out_has '"message":"no participant p:kp-mfaa; did you mean: p:kp-mfa, p:cn-mfa?"'

# Actors: by alias, the chain cluster -> organ -> state, attributions only.
al 0 actor "Voodoo Bear" --json
jq_is '[.record_id, [.attributions[].record_id]]' \
  '["act:sandworm",["clm:ua15-isight","clm:np-eset","fnd:notpetya"]]'
al 0 actor act:gru-74455
out_has "chain: GRU Main Centre for Special Technologies (GTsST), military unit 74455 (state organ) -> Main Directorate of the General Staff (GRU) (state organ) -> Armed Forces of the Russian Federation (unit unspecified) (state organ) -> Russian Federation (state)"
# DPRK is impersonated in the Olympic Destroyer claims, not accused by them.
al 0 actor act:dprk --json
jq_is '[.attributions[] | [.record_id, (.as // "conclusion")]]' \
  '[["clm:sony-fbi","attributed_to"],["clm:bb-nsa","attributed_to"],["clm:wc-uk-wallace","attributed_to"],["clm:wc-us","attributed_to"],["clm:wc-uk-fco","state_nexus"],["clm:dprk-doj-park","state_nexus"],["fnd:wannacry","conclusion"],["clm:eu-wannacry","state_nexus"],["clm:wc-us@v2","attributed_to"],["clm:wc-uk-fco@v2","state_nexus"],["fnd:wannacry-norms","conclusion"]]'

# Participants: keys, roles, records.
al 0 participant p:uk-gov --json
jq_is '[.roles, [.keys[].status], [.records[].record_id]]' \
  '[["MEMBER","CLAIMANT"],["ACTIVE"],["clm:wc-uk-wallace","clm:wc-uk-fco","clm:np-uk","clm:od-uk","clm:sw-uk","com:uk-ukcn2015","inc:cloud-hopper","clm:ch-uk","clm:wc-uk-fco@v2","clm:np-uk@v2"]]'
al 0 participant p:panel-06
out_has "roles: panelist"
out_has "panel vote vote:olympic-destroyer-4: active"
al 0 stats
out_has "findings                  4 (3 published)"
out_has "incidents                 12 (3 with a finding, 9 without)"

# The norms register (docs/VIEWS.md "Norms"): golden JSON of the three views.
golden sample-norms.json norms --json
jq_is '[(.instruments | length), ([.instruments[].norms[]] | length)]' '[10,33]'
golden sample-norm-ungge2015-13f.json norm ungge2015-13f --json
jq_is '[.counts.incidents_claimed, .counts.incidents_found_breached, (.commitments | length)]' '[2,1,16]'
golden sample-state-china.json state act:china --json
jq_is '[.claims[].record_id]' '["clm:ch-uk","clm:ch-us","clm:eq-doj@v2"]'
al 0 norm ungge2015-13f
out_has "NORM ungge2015-13f"
out_has "reaffirmed in: oewg2021, ungge2021"
out_has "[96] 2017-12-21 p:kp-mfa denial [accused party]"
out_has "[239] 2022-02-01 fnd:wannacry-norms on inc:wannacry-2017: breached (published)"
al 0 state China
out_has "NORMS RECORD CARD: People's Republic of China (act:china)"
out_has "uscn2015-2: explicit; committed: uscn2015 2015-09-25"
al 0 state act:dprk
out_has "ungge2015-13f: breached; committed: oewg2021 2021-03-12"
al 0 incident inc:cloud-hopper
out_has "norm breached: ukcn2015-ip (explicit)"
al 1 norm ungge2015-13z
err_one_line
err_has "no norm ungge2015-13z"
# An incident trail carries the norms its claims cite, and audits.
al 0 export --incident inc:cloud-hopper -o "$T/ch.jsonl"
for r in ukcn2015-ip g20-2015-26b uscn2015-2; do
  grep -q "\"record_id\": *\"$r\"" "$T/ch.jsonl" || fail "trail lacks $r"
done
al 0 audit --vkey "$ATTRLEDGER_DIR/log.vkey" "$T/ch.jsonl"
# Exports: norm-breach CSV rows, norm edges in the graph, the citations in
# STIX through the ledger's extension (norms have no STIX type).
al 0 export --format norms-csv
out_has "index,record_id,status,disputed,incidents,claimant,author,provenance,attributed_to,state_nexus,norm_ref,link,basis,claimed_at,leaf_hash"
[ "$(grep -c ',explicit,' "$T/out")" = 4 ] || fail "norms-csv: want 4 explicit rows"
[ "$(grep -c ',mapped,' "$T/out")" = 6 ] || fail "norms-csv: want 6 mapped rows"
[ "$(tail -n +2 "$T/out" | tr -d '\r' | grep -cvE ',[0-9a-f]{64}$')" = 0 ] || fail "norms-csv: a leaf_hash is not 64 hex digits"
al 0 export --format dot
out_has '"inc:cloud-hopper" -> "ukcn2015-ip" [label="breach claimed by UK\nGovernment (FCO/FCDO,\nHome Office ministers;\nNCSC assessments)\nexplicit, 2018-12-20", color=darkorange3'
out_has '"inc:wannacry-2017" -> "ungge2015-13f" [label="finding IAB-2017-001-N: breached\n2022-02-01", style=bold'
out_has '"ungge2015-13f" [shape=note, label="norm 13(f) of\nA/70/174"];'
# Plain words in the graph: no enum names.
grep -qE '(NORM_VERDICT|ATTRIBUTION_LEVEL|OPINION_KIND|ACTOR_KIND)_' "$T/out" && fail "enum names in the graph"
cp "$T/out" "$T/sample.dot"
# One incident (issue 16 item 6): the title, the denial as an edge, the
# finding that did not reach quorum dashed and so labelled, no other
# incident (the legend's sample box and the incident are the only boxes).
al 0 export --format dot --incident inc:olympic-destroyer-2018
out_has '  label="Attribution graph: PyeongChang Winter Olympics opening-ceremony\ndisruption (Olympic Destroyer) (inc:olympic-destroyer-2018)\nledger at tree size 245; dated 2018-02-13 to 2020-11-16";'
out_has '"p:ru-kremlin" -> "act:gru-74455" [label="denies (2020-10-20)", color=red, fontcolor=red];'
out_has '"inc:olympic-destroyer-2018" -> "act:gru-74455" [label="finding IAB-2018-001\n2020-11-16, not published", style=dashed, color=blue, fontcolor=blue];'
[ "$(grep -c 'shape=box' "$T/out")" = 2 ] || fail "the incident graph draws other incidents"
grep -q '"inc:notpetya-2017"' "$T/out" && fail "the incident graph names another incident"
cp "$T/out" "$T/od.dot"
# Graphviz accepts both graphs, and the whole sample fits 1920 pixels
# (1440 pt) without being scaled down.
if command -v dot >/dev/null; then
  for g in sample od; do
    dot -Tsvg "$T/$g.dot" >"$T/$g.svg" 2>"$T/err" || fail "dot refused $g.dot"
    [ ! -s "$T/err" ] || fail "dot warned about $g.dot"
  done
  w=$(sed -n 's/^<svg width="\([0-9]*\)pt".*/\1/p' "$T/sample.svg")
  [ -n "$w" ] && [ "$w" -le 1440 ] || fail "the sample's graph is ${w}pt wide, want at most 1440"
  grep -q 'transform="scale(1 1)' "$T/sample.svg" || fail "the sample's graph is scaled down"
  checks=$((checks + 4))
else
  echo "SKIP: dot -Tsvg of the sample's graph needs Graphviz's dot"
fi
al 0 export --format stix -o "$T/bundle.json"
jq -e '[.objects[] | .. | objects | select(has("norms_breached"))] | length > 0' "$T/bundle.json" >/dev/null ||
  fail "STIX carries no norms_breached"
CHECK=$SRC/../shared/tools/stix/check
if [ -x "$CHECK" ]; then
  # Every object valid against the OASIS schemas (the checker's vocabulary
  # warnings about relationship types predate the norms register).
  "$CHECK" "$T/bundle.json" >"$T/check.txt" 2>&1 || true
  grep -q "^valid: \([0-9]*\) / \1$" "$T/check.txt" || fail "STIX objects invalid: $(grep -m3 'invalid *[1-9]' "$T/check.txt")"
else
  echo "SKIP: STIX check ($CHECK not present)"
fi

# The norm and state views list claims in time order, not entry order: a
# claim made in 2016 and entered last comes before the 2017 claims.
cat >"$T/early.json" <<'JSON'
{"header": {"record_id": "clm:order-2016", "author": "p:au-gov", "created": "2023-01-01T00:00:00Z",
  "provenance": "PROVENANCE_FIRST_PARTY", "tlp": "TLP_CLEAR"},
 "attribution_claim": {"claimant": "p:au-gov",
  "claimed_at": {"time": "2016-06-01T00:00:00Z", "precision": "DATE_PRECISION_DAY"},
  "incident_refs": ["inc:wannacry-2017"], "attributed_to": "act:dprk",
  "assertion_type": "ASSERTION_TYPE_ATTRIBUTION", "level": "ATTRIBUTION_LEVEL_STRATEGIC",
  "statement": "A test claim dated before the others.",
  "norms_breached": [{"norm_ref": "ungge2015-13f", "link": "NORM_LINK_EXPLICIT",
   "basis": "test"}]}}
JSON
al 0 sign "$T/early.json" --key "$SAMPLE_DIR/keys/p-au-gov.key" -o "$T/early.signed.json"
al 0 submit "$T/early.signed.json"
for view in "norm ungge2015-13f" "state act:dprk"; do
  # shellcheck disable=SC2086
  al 0 $view
  awk '/^(CLAIMS OF BREACH|CLAIMED BREACHES)/ { f = 1; next } /^$/ { f = 0 } f && /^  \[/ { print $2, $3 }' \
    "$T/out" >"$T/order"
  [ "$(head -1 "$T/order")" = "2016-06-01 clm:order-2016" ] ||
    fail "$view: the 2016 claim is not listed first: $(tr '\n' ';' <"$T/order")"
  sort -c "$T/order" || fail "$view: claims not in time order: $(tr '\n' ';' <"$T/order")"
  checks=$((checks + 2))
done

done_ok
