# attrledger serve with 1,000 idle connections open: the server keeps
# answering other clients (reads and a write), /metrics counts the open
# connections, and after they close the server still serves; the ledger
# changes only by the one write.
. "$(dirname "$0")/lib_server.sh"
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 0; }
IDLE=1000
# the test shell holds IDLE descriptors, the server IDLE sockets: both
# inherit this limit
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 4096 ]; then
  ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((IDLE + 200)) ]; then
  echo "SKIP: only $(ulimit -n) file descriptors (hard limit $(ulimit -Hn)); need $((IDLE + 200))"
  exit 0
fi

new_ledger
member p:cert MEMBER CLAIMANT
VK="$T/ledger/log.vkey"
seed p:cert
start_server --max-connections 1100 --idle-timeout 120 --request-timeout 120
incident_json inc:idle p:cert "$T/r.json"
"$AL" -q sign "$T/r.json" --key "$(keyof p:cert)" -o "$T/r.signed"

fds=()
for _ in $(seq 1 $IDLE); do exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"; fds+=("$fd"); done
# every idle connection was accepted (bounded wait for the server to see them)
for _ in $(seq 1 100); do
  status_is 200 GET /metrics
  open=$(sed -n 's/^attrledger_http_open_connections \([0-9]*\)$/\1/p' "$T/body")
  [ "$open" -gt $IDLE ] && break
  sleep 0.1
done
[ "$open" -gt $IDLE ] || fail "/metrics shows $open open connections, want more than $IDLE"
status_is 200 GET /checkpoint
status_is 200 GET /entries/2
al 0 submit --url "$URL" --vkey "$VK" "$T/r.signed"
err_has "1 new, 0 already present"
sum=$(data_sum)
for fd in "${fds[@]}"; do exec {fd}<&-; done
status_is 200 GET /healthz
al 0 audit --vkey "$VK" --tiles "$URL"
stop_server
[ "$(data_sum)" = "$sum" ] || fail "the ledger changed after the write"
al 0 verify --vkey "$VK"
done_ok
