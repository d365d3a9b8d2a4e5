# attrledger serve killed with SIGKILL in the middle of a load of
# concurrent clients, restarted on the same ledger and port: the clients
# retry (submit --url retries lost connections), every receipt a client
# was given verifies and its entry is in the log, no record is logged
# twice, nothing is half-written (verify passes, the tree holds exactly
# the records sent). Sized for an ASan build: 4 clients x 6 records keep
# the kill in the middle of the load (after 4 acknowledgements) while the
# CLI runs stay few (each costs ~0.3 s under ASan); entries are matched to
# receipts from one `log --json`, not one `show` per record.
. "$(dirname "$0")/lib_server.sh"
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 0; }
CLIENTS=4 PER=6
CPIDS=()
crash_cleanup() {
  local p
  for p in ${CPIDS[@]+"${CPIDS[@]}"}; do kill -9 "$p" 2>/dev/null || true; done
  server_cleanup
}
trap crash_cleanup EXIT

new_ledger
member p:cert MEMBER CLAIMANT
VK="$T/ledger/log.vkey"
seed p:cert
BASE=$("$AL" checkpoint | sed -n 2p)
for c in $(seq 1 $CLIENTS); do
  mkdir -p "$T/c$c"
  for i in $(seq 1 $PER); do
    incident_json "inc:c$c-$i" p:cert "$T/c$c/r$i.json"
    "$AL" -q sign "$T/c$c/r$i.json" --key "$(keyof p:cert)" -o "$T/c$c/r$i.signed"
  done
done
start_server
LISTEN_PORT=$PORT

lines() { cat "$@" 2>/dev/null | wc -l || true; } # lines of the files that exist
# client C: one record per request, in order; a receipt saved per record
client() {
  local c=$1 i
  for i in $(seq 1 $PER); do
    if "$AL" -q submit --url "$URL" --vkey "$VK" "$T/c$c/r$i.signed" --out-dir "$T/c$c/out$i" \
      >"$T/c$c/o$i" 2>"$T/c$c/e$i"; then
      echo "$i" >>"$T/c$c/acked"
    else
      echo "$i" >>"$T/c$c/failed"
    fi
  done
}
for c in $(seq 1 $CLIENTS); do client "$c" & CPIDS+=($!); done
# kill -9 once some requests were acknowledged (bounded wait)
for _ in $(seq 1 300); do
  n=$(lines "$T"/c*/acked)
  [ "$n" -ge "$CLIENTS" ] && break
  sleep 0.05
done
kill -9 "$SRV_PID"
wait "$SRV_PID" 2>/dev/null || true
SRV_PID=
before=$(lines "$T"/c*/acked)
[ "$before" -lt $((CLIENTS * PER)) ] || fail "the load ended before the kill; nothing was tested"
start_server
for p in "${CPIDS[@]}"; do
  for _ in $(seq 1 1200); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && fail "a client did not finish within 120 s"
  wait "$p" || true
done
CPIDS=()
stop_server

# every request was acknowledged in the end (retries), and every receipt verifies
failed=$(lines "$T"/c*/failed)
[ "$failed" = 0 ] || fail "$failed submissions failed: $(cat "$T"/c*/e* | sort | uniq -c | head -3)"
al 0 verify --vkey "$VK"
al 0 log --json
# "INDEX RECORD_ID" of every logged client record
sed -n 's/.*"index": *\([0-9]*\).*"record_id": *"\(inc:c[^"]*\)".*/\1 \2/p' "$T/out" >"$T/logged"
for c in $(seq 1 $CLIENTS); do
  [ "$(wc -l <"$T/c$c/acked")" = $PER ] || fail "client $c: $(wc -l <"$T/c$c/acked") of $PER acknowledged"
  for i in $(seq 1 $PER); do
    proof=$(ls "$T/c$c/out$i"/entry-*.tlog-proof)
    al 0 verify-receipt --vkey "$VK" "$proof" --leaf "${proof%.tlog-proof}.leaf"
    idx=${proof##*/entry-}; idx=${idx%.tlog-proof}
    grep -qx "$idx inc:c$c-$i" "$T/logged" || fail "receipt of inc:c$c-$i names entry $idx, which holds $(grep "^$idx " "$T/logged")"
  done
done
# exactly the records sent: no duplicate, none missing, none half-written
SIZE=$("$AL" checkpoint | sed -n 2p)
[ "$SIZE" = $((BASE + CLIENTS * PER)) ] || fail "tree size $SIZE, want $((BASE + CLIENTS * PER))"
cut -d' ' -f2 "$T/logged" | sort >"$T/ids"
[ "$(wc -l <"$T/ids")" = $((CLIENTS * PER)) ] || fail "log lists $(wc -l <"$T/ids") client records"
dups=$(uniq -d "$T/ids" | wc -l)
[ "$dups" = 0 ] || fail "$dups record_ids logged twice"
checks=$((checks + 4))
echo "killed after $before acknowledged of $((CLIENTS * PER))"
done_ok
