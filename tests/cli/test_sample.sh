# The embedded sample (examples/sample, 150 records) loaded with the demo's
# loader (scripts/sample.sh), then:
#   - `incident --json` of WannaCry and NotPetya and `stats --json` compared
#     byte for byte with the reviewed golden files in tests/golden/;
#   - the text case files (published / not published findings, denials);
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

# golden NAME ARGS...: the command's stdout equals tests/golden/NAME.
golden() {
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
out_has "ok: 151 entries, 188 signatures"

# Golden case files and statistics.
golden sample-incident-wannacry-2017.json incident inc:wannacry-2017 --json
golden sample-incident-notpetya-2017.json incident inc:notpetya-2017 --json
golden sample-stats.json stats --json
# Any version's record_id names the same case file.
al 0 incident inc:wannacry-2017@v2 --json
same_file "$T/out" "$GOLDEN/sample-incident-wannacry-2017.json"

# Text case files.
al 0 incident inc:wannacry-2017
out_has "INCIDENT inc:wannacry-2017: WannaCry ransomware worm outbreak"
out_has "ATTRIBUTION CLAIMS (7)"
out_has "[96] p:kp-mfa DENIAL (STRONGLY_DISAGREE) [accused party]: ACTIVE"
out_has "votes: 4 approve, 1 reject, 0 abstain, 0 recuse; rule 4 of 5 (REDUCES_PANEL), counted panel 5, approvals needed 4"
out_has "PUBLISHED (quorum reached at entry 117)"
out_has "dissent (p:panel-04): "
al 0 incident inc:notpetya-2017
out_has "votes: 5 approve, 0 reject, 0 abstain, 0 recuse"
out_has "PUBLISHED (quorum reached at entry 131)"
al 0 incident inc:olympic-destroyer-2018
out_has "[98] clm:od-iab-prelim: RETRACTED (retracted at entry 107)"
out_has "votes: 3 approve, 0 reject, 1 abstain, 1 recuse; rule 4 of 5 (REDUCES_PANEL), counted panel 4, approvals needed 4"
out_has "NOT PUBLISHED (quorum not reached)"
grep -q "      PUBLISHED" "$T/out" && fail "Olympic Destroyer must not be published"
al 0 incident inc:equifax-2017@v3
out_has "[89] inc:equifax-2017 by p:equifax: SUPERSEDED (by entry 91)"
out_has "[105] inc:equifax-2017@v3 by p:equifax: ACTIVE"
out_has "none: the body has not ruled on this incident"
al 3 incident inc:nope
err_one_line
err_has "no incident inc:nope"

# Actors: by alias, the chain cluster -> organ -> state, attributions only.
al 0 actor "Voodoo Bear" --json
jq_is '[.record_id, [.attributions[].record_id]]' \
  '["act:sandworm",["clm:ua15-isight","clm:np-eset","fnd:notpetya"]]'
al 0 actor act:gru-74455
out_has "chain: GRU Main Centre for Special Technologies (GTsST), military unit 74455 (STATE_ORGAN) -> Main Directorate of the General Staff (GRU) (STATE_ORGAN) -> Armed Forces of the Russian Federation (unit unspecified) (STATE_ORGAN) -> Russian Federation (STATE)"
# DPRK is impersonated in the Olympic Destroyer claims, not accused by them.
al 0 actor act:dprk --json
jq_is '[.attributions[] | [.record_id, (.as // "conclusion")]]' \
  '[["clm:sony-fbi","attributed_to"],["clm:bb-nsa","attributed_to"],["clm:wc-uk-wallace","attributed_to"],["clm:wc-us","attributed_to"],["clm:wc-uk-fco","state_nexus"],["clm:dprk-doj-park","state_nexus"],["fnd:wannacry","conclusion"],["clm:eu-wannacry","state_nexus"]]'

# Participants: keys, roles, records.
al 0 participant p:uk-gov --json
jq_is '[.roles, [.keys[].status], [.records[].record_id]]' \
  '[["MEMBER","CLAIMANT"],["ACTIVE"],["clm:wc-uk-wallace","clm:wc-uk-fco","clm:np-uk","clm:od-uk","clm:sw-uk"]]'
al 0 participant p:panel-06
out_has "roles: PANELIST"
out_has "vote:olympic-destroyer-4"
al 0 stats
out_has "findings                  3 (2 published)"
out_has "incidents                 11 (3 with a finding, 8 without)"

done_ok
