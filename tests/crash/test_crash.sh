# Crash and concurrency harness (ctest label `crash`).
#
# Each round starts several `attrledger submit` processes at once on one
# ledger (LMDB has one writer; the others wait for its lock), then SIGKILLs
# a random subset of them at random moments. After every round:
#   - every process either exited 0 or died from our SIGKILL: a concurrent
#     submitter never fails with an error of its own;
#   - `verify` passes;
#   - tree size - size before the round lies between the records whose
#     submit exited 0 and those plus the ones in flight when killed;
#   - every acknowledged receipt verifies offline with the log key, its
#     leaf is byte-identical to the stored entry, and its checkpoint is
#     byte-identical to the one the ledger stores for that size (so the log
#     never signed two checkpoints for one size, and `verify` has proved
#     every stored checkpoint consistent with the latest);
#   - a client that resubmits after the crash gets exit 0; resubmitting an
#     acknowledged record returns its original entry (existed: true);
#   - no record_id appears twice; a batch is all in or all out.
# Some rounds submit the same record from two processes at once: both must
# succeed with one entry.
# The digest index moves its tail into the B-tree every 5 rows here
# (ATTRLEDGER_DIGEST_TAIL_MAX), so kills also land inside merges and every
# process finds rows that other processes appended or merged.
#
# Run by ctest as: bash test_crash.sh PATH/attrledger (ATTRLEDGER_SOURCE_DIR
# set). CRASH_ROUNDS and CRASH_SEED override the defaults; the seed is
# printed so a failure can be replayed.
. "$(dirname "$0")/../cli/lib.sh"
CLAIM_ACTOR= CLAIM_INCIDENT=  # claims here name no actor or incident records
export ATTRLEDGER_DIGEST_TAIL_MAX=5

ROUNDS=${CRASH_ROUNDS:-24}
PROCS=4
SEED=${CRASH_SEED:-$$}
RANDOM=$SEED
echo "crash harness: $ROUNDS rounds, $PROCS submitters per round, seed $SEED"

new_ledger
member p:cert MEMBER
VK="$T/ledger/log.vkey"
size_now() { "$AL" checkpoint | sed -n 2p; }
cp_first=$("$AL" checkpoint)
printf '%s\n' "$cp_first" >"$T/cp-first"

declare -A index_of # record_id -> acknowledged index
acked_total=0
killed_total=0
concurrent_dups=0
committed_unacked=0

for r in $(seq 1 "$ROUNDS"); do
  before=$(size_now)
  R="$T/r$r"
  mkdir -p "$R"
  # Submitter k submits clm:r-k; in every third round submitter 1 sends
  # the same record as submitter 0; in every fourth round submitter 2 sends
  # a batch of two records.
  declare -a files=() pids=() killed=()
  new_records=0
  for k in $(seq 0 $((PROCS - 1))); do
    files[k]=""
    id="clm:$r-$k"
    [ $((r % 3)) -eq 0 ] && [ "$k" -eq 1 ] && id="clm:$r-0"
    [ -f "$R/$id.json" ] || { claim_json "$id" p:cert "$R/$id.json"; new_records=$((new_records + 1)); }
    files[k]="$R/$id.json"
    if [ $((r % 4)) -eq 0 ] && [ "$k" -eq 2 ]; then
      claim_json "$id-b" p:cert "$R/$id-b.json"
      new_records=$((new_records + 1))
      files[k]="$R/$id.json $R/$id-b.json"
    fi
  done
  for k in $(seq 0 $((PROCS - 1))); do
    mkdir -p "$R/p$k"
    # shellcheck disable=SC2086
    "$AL" --json submit ${files[k]} --key "$(keyof p:cert)" --out-dir "$R/p$k" \
      >"$R/p$k/out" 2>"$R/p$k/err" &
    pids[k]=$!
    killed[k]=0
  done
  # Kill 1 to 3 of them, each after a random 0-59 ms (not an assertion: any
  # moment is a valid crash point, including after they finished).
  nkill=$((1 + RANDOM % 3))
  {
    for _ in $(seq 1 "$nkill"); do
      sleep "0.0$((RANDOM % 6))$((RANDOM % 10))"
      k=$((RANDOM % PROCS))
      kill -KILL "${pids[k]}" && killed[k]=1 || true
    done
  } 2>/dev/null
  acked=0
  for k in $(seq 0 $((PROCS - 1))); do
    code=0
    # (braces: keep bash's "Killed" job notice out of the log)
    { wait "${pids[k]}"; } 2>/dev/null || code=$?
    if [ "$code" -eq 0 ]; then
      killed[k]=0 # finished before the signal arrived
      acked=$((acked + 1))
    elif [ "$code" -eq 137 ] && [ "${killed[k]}" -eq 1 ]; then
      killed_total=$((killed_total + 1))
    else
      cat "$R/p$k/err" >&2
      fail "round $r: submitter $k (${files[k]}) exited $code without being killed"
    fi
  done
  acked_total=$((acked_total + acked))

  al 0 verify
  after=$(size_now)
  added=$((after - before))
  # Acknowledged distinct records are in; nothing beyond what was sent.
  min=0
  declare -A seen_round=()
  for k in $(seq 0 $((PROCS - 1))); do
    [ "${killed[k]}" -eq 0 ] || continue
    for f in ${files[k]}; do
      id=$(basename "$f" .json)
      [ -n "${seen_round[$id]:-}" ] && continue
      seen_round[$id]=1
      min=$((min + 1))
    done
  done
  unset seen_round
  [ "$added" -ge "$min" ] && [ "$added" -le "$new_records" ] ||
    fail "round $r: tree grew by $added, want $min..$new_records"
  checks=$((checks + 1))
  # Killed after their commit but before they could answer.
  committed_unacked=$((committed_unacked + added - min))

  # Every acknowledged receipt: offline check, same leaf, same checkpoint.
  for k in $(seq 0 $((PROCS - 1))); do
    [ "${killed[k]}" -eq 0 ] || continue
    for proof in "$R/p$k"/entry-*.tlog-proof; do
      n=$(basename "$proof" .tlog-proof)
      n=${n#entry-}
      al 0 verify-receipt --vkey "$VK" "$proof" --leaf "$R/p$k/entry-$n.leaf"
      al 0 show "$n" --leaf-out "$R/p$k/stored-$n.leaf"
      same_file "$R/p$k/stored-$n.leaf" "$R/p$k/entry-$n.leaf"
      id=$(sed -n 's/^record_id   //p' "$T/out")
      if [ -n "${index_of[$id]:-}" ]; then
        [ "${index_of[$id]}" = "$n" ] || fail "$id acknowledged at $n and ${index_of[$id]}"
      fi
      index_of[$id]=$n
      # The checkpoint inside the receipt is the one stored for its size.
      sed '1,/^$/d' "$proof" >"$R/p$k/cp-$n"
      al 0 checkpoint --size "$(sed -n 2p "$R/p$k/cp-$n")"
      same_file "$T/out" "$R/p$k/cp-$n"
    done
  done
  if [ $((r % 3)) -eq 0 ] && [ "${killed[0]}" -eq 0 ] && [ "${killed[1]}" -eq 0 ]; then
    grep -q '"index"' "$R/p0/out" || fail "round $r: no JSON from submitter 0"
    [ "$(grep -o '"index":[0-9]*' "$R/p0/out")" = "$(grep -o '"index":[0-9]*' "$R/p1/out")" ] ||
      fail "round $r: one record submitted twice at once got two entries"
    concurrent_dups=$((concurrent_dups + 1))
    checks=$((checks + 1))
  fi

  # Clients retry after the crash: every killed submission now succeeds.
  for k in $(seq 0 $((PROCS - 1))); do
    [ "${killed[k]}" -eq 1 ] || continue
    # shellcheck disable=SC2086
    al 0 --json submit ${files[k]} --key "$(keyof p:cert)"
  done
  [ $(($(size_now) - before)) -eq "$new_records" ] ||
    fail "round $r: after retries the tree grew by $(($(size_now) - before)), want $new_records"
  checks=$((checks + 1))
  # Resubmitting an acknowledged record returns its original entry.
  for k in $(seq 0 $((PROCS - 1))); do
    [ "${killed[k]}" -eq 0 ] || continue
    id=$(basename "${files[k]%% *}" .json)
    al 0 --json submit "${files[k]%% *}" --key "$(keyof p:cert)"
    out_has "\"index\":${index_of[$id]},"
    out_has '"existed":true'
    break
  done
  unset files pids killed
done

# No record twice, and no gap: the log lists each record_id once.
al 0 log --json
total=$(wc -l <"$T/out")
[ "$total" -eq "$(size_now)" ] || fail "log lists $total entries, size is $(size_now)"
[ "$(grep -o '"record_id":"[^"]*"' "$T/out" | sort | uniq -d | wc -l)" -eq 0 ] ||
  fail "a record_id appears twice"
checks=$((checks + 2))
# The ledger only grew: the genesis checkpoint and a mid-run one are
# consistent with the final tree.
al 0 verify --checkpoint "$T/cp-first" --vkey "$VK"
mid=$(ls "$T"/r$((ROUNDS / 2))/p*/cp-* 2>/dev/null | head -1 || true)
if [ -n "$mid" ]; then al 0 verify --checkpoint "$mid" --vkey "$VK"; fi
# Merges happened: the tail holds fewer than 5 rows, the B-tree the rest.
if [ -n "$TAMPER" ]; then
  tail_rows=$("$TAMPER" "$T/ledger" count digest_tail)
  tree_rows=$("$TAMPER" "$T/ledger" count digests)
  [ "$tail_rows" -lt 5 ] && [ $((tail_rows + tree_rows)) -eq "$(size_now)" ] ||
    fail "digest index: $tree_rows tree rows and $tail_rows tail rows for size $(size_now)"
  checks=$((checks + 1))
fi
echo "rounds $ROUNDS, acknowledged submits $acked_total, killed in flight $killed_total" \
  "(of which committed before the kill: $committed_unacked), concurrent duplicate pairs" \
  "$concurrent_dups, final size $(size_now)"
done_ok
