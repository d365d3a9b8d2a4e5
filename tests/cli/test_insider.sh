# Every change an insider with write access to the LMDB store could make is
# caught by `verify` (exit 1, one line naming the damage): byte flips at
# random positions of every entry, an entry replaced by a validly signed
# one from another ledger, rollbacks (crude and complete), swapped entries
# and hashes, edited stored hashes, index rows, checkpoints and metadata.
# A complete rollback leaves a consistent store that only a checkpoint kept
# outside the ledger can expose (`verify --checkpoint`). The tamper tool
# (tests/tools/tamper.c) edits the store directly with LMDB.
# TAMPER_SEED replays the random positions.
. "$(dirname "$0")/lib.sh"
CLAIM_ACTOR=  # claims here name no actor record

[ -n "$TAMPER" ] || fail "ATTRLEDGER_TAMPER is not set"
SEED=${TAMPER_SEED:-$$}
RANDOM=$SEED
echo "insider tampering, seed $SEED"
tp() { "$TAMPER" "$T/ledger" "$@"; }

new_ledger
member p:cert MEMBER
incident_json inc:test p:cert "$T/inc.json"
for i in 1 2 3 4 5 6 7 9; do claim_json "clm:$i" p:cert "$T/c$i.json"; done
sub() { "$AL" -q submit --key "$(keyof p:cert)" "$@" >/dev/null; }
sub "$T/inc.json" "$T/c1.json"          # entries 2, 3 -> size 4
"$AL" checkpoint >"$T/cp4"
sub "$T/c2.json" "$T/c3.json"           # 4, 5 -> size 6
"$AL" checkpoint >"$T/cp6"
cp -a "$T/ledger" "$T/at6"
sub "$T/c4.json"                        # 6 -> size 7
"$AL" checkpoint >"$T/cp7"
sub "$T/c5.json" "$T/c6.json" "$T/c7.json" # 7, 8, 9 -> size 10
"$AL" checkpoint >"$T/cp10"
al 0 verify
out_has "ok: 10 entries"
cp -a "$T/ledger" "$T/pristine"
restore() { rm -rf "$T/ledger"; cp -a "$T/pristine" "$T/ledger"; }
caught() { # caught WHAT: verify exits 1 with one line containing WHAT
  al 1 verify
  err_one_line
  err_has "$1"
}

# 1. A flipped byte at 6 random positions of every entry (one bit of a
# random byte each time, undone after the check).
flips=0
for i in $(seq 0 9); do
  len=$(tp get entries "$i" | wc -c)
  for _ in 1 2 3 4 5 6; do
    pos=$((RANDOM % len))
    mask=$((1 << (RANDOM % 8)))
    tp flip entries "$i" "$pos" "$mask"
    al 1 verify
    err_one_line
    grep -qF "entry $i" "$T/err" || fail "flip of entry $i byte $pos mask $mask: $(cat "$T/err")"
    tp flip entries "$i" "$pos" "$mask"
    flips=$((flips + 1))
  done
done
al 0 verify # every flip was undone exactly

# 2. An entry replaced by a validly signed one from another ledger: same
# log key, same members, same index, different record (a fork of the
# ledger at size 6), and a genesis from a ledger with another log key.
cp -a "$T/at6" "$T/fork"
ATTRLEDGER_DIR="$T/fork" "$AL" -q submit --key "$(keyof p:cert)" "$T/c9.json" >/dev/null
"$TAMPER" "$T/fork" get entries 6 >"$T/forged6"
ATTRLEDGER_DIR="$T/fork" "$AL" checkpoint >"$T/cp7-fork"
tp put entries 6 "$T/forged6"
caught "entry 6 (clm:9)"
restore
mkdir -p "$T/other"
"$AL" -q key generate --name p:admin --out "$T/other/a.key" --no-passphrase >/dev/null 2>&1
"$AL" init "$T/other/l" --origin test.example/ledger --admin "$T/other/a.key.pub" \
  --no-passphrase >/dev/null 2>&1
"$TAMPER" "$T/other/l" get entries 0 >"$T/foreign0"
tp put entries 0 "$T/foreign0"
caught "entry 0"
restore

# 3. Rollbacks. Crude: delete the last three entries only, then also their
# hashes and checkpoints; both leave the metadata behind.
for i in 7 8 9; do tp del entries "$i"; done
caught "ledger metadata says 10 entries, the entries table has 7"
for k in $(seq 11 17); do tp del hashes "$k"; done
tp del checkpoints 10
caught "ledger metadata says 10 entries"
restore
# Complete: entries, hashes, checkpoints, index rows and metadata all cut
# back to size 7. The store is consistent again...
tp rollback 7
al 0 verify
out_has "ok: 7 entries"
# ...but a checkpoint saved outside the ledger catches it.
al 1 verify --checkpoint "$T/cp10"
err_one_line
err_has "the given checkpoint is for 10 entries but the ledger has only 7: the ledger was rolled back"
# An older saved checkpoint is still consistent; a fork's is not.
al 0 verify --checkpoint "$T/cp6"
al 1 verify --checkpoint "$T/cp7-fork"
err_has "forked or rewritten"
restore
tp rollback 4
al 1 verify --checkpoint "$T/cp6"
err_has "rolled back"
restore

# 4. Two entries swapped; two stored hashes swapped.
tp swap entries 7 8
# The replay (rules/replay.c) decodes the record before judging the leaf,
# so the message names the record found at position 7 (entry 8's).
caught "leaf says it is entry 8"
err_has "entry 7 ("
restore
tp swap hashes 3 4
caught "stored hash 3 does not match the entries"
restore

# 5. Every stored hash edited in turn (one random bit of one random byte).
nh=$(tp count hashes)
[ "$nh" -eq 18 ] || fail "want 18 stored hashes for 10 entries, have $nh"
for k in $(seq 0 $((nh - 1))); do
  pos=$((RANDOM % 32))
  mask=$((1 << (RANDOM % 8)))
  tp flip hashes "$k" "$pos" "$mask"
  caught "stored hash $k does not match the entries"
  tp flip hashes "$k" "$pos" "$mask"
done
tp del hashes 17
caught "stored hash 17 is missing"
restore

# 6. Index rows: a record_id pointing to another entry, a missing digest
# row, an extra row, an edited key registry row, an edited participant row.
tp get records s:clm:1 >"$T/idx3" # the row of entry 3
tp put records s:clm:5 "$T/idx3"
caught "entry 7 (clm:5): record_id index row points to entry 3"
restore
# The newest digests are in digest_tail (index -> digest); older ones in
# digests (digest -> index) once merged.
tp del digest_tail 6
caught "entry 6 (clm:4): record digest index row is missing"
restore
tp get digest_tail 6 >"$T/dig6"
tp put digest_tail 7 "$T/dig6"
caught "entry 7 (clm:5): record digest_tail row holds another digest"
restore
dig=$(od -An -tx1 "$T/dig6" | tr -d ' \n')
printf '\0\0\0\0\0\0\0\6' >"$T/ix6"
tp put digests "x:$dig" "$T/ix6"
caught "digests index has 11 rows, the entries imply 10"
restore
printf '\0\0\0\0\0\0\0\7' >"$T/ix7"
tp del digest_tail 7
tp put digests "x:$dig" "$T/ix7"
caught "entry 7 (clm:5): record digest index row is missing"
restore
tp put records s:clm:ghost "$T/idx3"
caught "records table has 11 rows, the entries imply 10"
restore
kid=$("$AL" key show --json "$(keyof p:cert).pub" | sed 's/.*"key_id":"\([0-9a-f]*\)".*/\1/')
klen=$(tp get keys "x:$kid" | wc -c)
tp flip keys "x:$kid" $((klen - 1))
caught "keys"
restore
tp del participants s:p:cert
caught "participants table has 1 rows, the entries imply 2"
restore

# 7. Stored checkpoints: a flipped byte in each, one replaced by another
# size's (validly signed), the latest replaced by a fork's (validly signed
# by the same log key), the latest deleted, one added past the tree.
for s in 1 2 4 6 7 10; do
  len=$(tp get checkpoints "$s" | wc -c)
  tp flip checkpoints "$s" $((RANDOM % len))
  caught "stored checkpoint $s"
  restore
done
tp put checkpoints 6 "$T/cp4"
caught "stored checkpoint 6 names size 4"
restore
tp put checkpoints 7 "$T/cp7-fork"
caught "stored checkpoint 7: root does not match the entries (signed history was changed)"
restore
tp del checkpoints 10
caught "no stored checkpoint at the tree size 10"
restore
tp put checkpoints 11 "$T/cp10"
caught "stored checkpoint 11 is beyond the tree size 10"
restore

# 8. Metadata.
tp flip meta s:root 0
caught "ledger metadata root does not match the entries"
restore
tp flip meta s:size 7
caught "ledger metadata says 11 entries"
restore
tp flip meta s:time 7
caught "ledger metadata time does not match the last entry"
restore
al 0 verify
echo "byte flips: $flips; stored hashes edited: $nh"
done_ok
