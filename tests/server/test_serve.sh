# attrledger serve: the demo flow over HTTP, the read API (tiles
# byte-identical to export --format tiles), audit --tiles against serve and
# against nginx in front of it, refusals with their status and code.
. "$(dirname "$0")/lib_server.sh"
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 0; }

new_ledger
member p:cert MEMBER CLAIMANT
VK="$T/ledger/log.vkey"
start_server --max-body 200000

# ---- the demo flow over HTTP ----
actor_json act:test p:cert "$T/act.json"
incident_json inc:test p:cert "$T/inc.json"
claim_json clm:one p:cert "$T/claim.json"
for r in act inc claim; do al 0 sign "$T/$r.json" --key "$(keyof p:cert)" -o "$T/$r.signed.json"; done
al 0 submit --url "$URL" --vkey "$VK" "$T/act.signed.json" "$T/inc.signed.json" --out-dir "$T"
out_has "c2sp.org/tlog-proof@v1"
err_has "2 new, 0 already present"
al 0 verify-receipt --vkey "$VK" "$T/entry-3.tlog-proof" --leaf "$T/entry-3.leaf"
al 0 submit --url "$URL" --vkey "$VK" "$T/claim.signed.json" --json
out_has '"existed":false'
al 0 submit --url "$URL" --vkey "$VK" "$T/claim.signed.json"
err_has "existing entry 4: clm:one"
# a rule of the body: a claim on an incident that is not in the ledger
CLAIM_INCIDENT=inc:none claim_json clm:bad p:cert "$T/bad.json"
al 0 sign "$T/bad.json" --key "$(keyof p:cert)" -o "$T/bad.signed.json"
al 1 submit --url "$URL" --vkey "$VK" "$T/bad.signed.json"
err_has "server refused record 0 (HTTP 422 rule)"
err_one_line
al 0 checkpoint --url "$URL" --vkey "$VK"
out_has "test.example/ledger"
[ "$(sed -n 2p "$T/out")" = 5 ] || fail "checkpoint over HTTP is not at size 5"
al 0 show --url "$URL" --vkey "$VK" clm:one --json
out_has '"record_id":"clm:one"'
al 0 show --url "$URL" --vkey "$VK" 3
out_has "inc:test"
al 2 submit --url "$URL" "$T/claim.signed.json"
al 0 verify --vkey "$VK"

# ---- refusals: status and stable code ----
status_is 415 POST /add-records -H 'Content-Type: text/plain' --data-binary @"$T/claim.signed.json"
body_has '"code":"unsupported_media_type"'
status_is 400 POST /add-records -H 'Content-Type: application/json' --data-binary @"$T/claim.json"
body_has '"code":"unsigned"'
status_is 400 POST /add-records -H 'Content-Type: application/json' --data-binary '[{"record": 1}]'
body_has '"code":"malformed"'
body_has '"record":0'
status_is 422 POST /add-records -H 'Content-Type: application/json' --data-binary @"$T/bad.signed.json"
body_has '"code":"rule"'
# a flipped signature byte: 403 bad_signature
sed -i 's/inc:none/inc:test/' "$T/bad.json"
al 0 sign "$T/bad.json" --key "$(keyof p:cert)" -o "$T/good2.signed.json"
sig=$(grep -o '"signature": "[^"]*"' "$T/good2.signed.json" | head -1 | cut -d'"' -f4)
first=${sig:0:1}; [ "$first" = A ] && repl=B || repl=A
sed "s|\"signature\": \"$sig\"|\"signature\": \"$repl${sig:1}\"|" "$T/good2.signed.json" >"$T/badsig.json"
status_is 403 POST /add-records -H 'Content-Type: application/json' --data-binary @"$T/badsig.json"
body_has '"code":"bad_signature"'
head -c 300000 /dev/zero | tr '\0' ' ' >"$T/big.json"
status_is 413 POST /add-records -H 'Content-Type: application/json' --data-binary @"$T/big.json"
status_is 405 GET /add-records
status_is 404 GET /nothing-here

# ---- the read API ----
status_is 200 GET /log.vkey
cmp -s "$T/body" "$VK" || fail "/log.vkey differs from log.vkey"
status_is 200 GET /healthz
status_is 200 GET /entries/3
body_has '"index": 3'
status_is 200 GET /records/clm:one
body_has '"record_id": "clm:one"'
status_is 404 GET /records/nope
status_is 200 GET '/proof/inclusion?index=2&size=4'
body_has '"tree_size": 4'
status_is 200 GET '/proof/consistency?old=2'
status_is 200 GET /receipt/4
body_has "c2sp.org/tlog-proof@v1"
for p in /entries/x001 /entries/01 /entries/-1 /entries/18446744073709551616 /entries/1a \
  '/proof/inclusion?index=01' '/proof/inclusion' '/proof/consistency?old=-1' /receipt/007 \
  /tile/0/001 /tile/0/000.p/0 /tile/00/000.p/1 /tile/0/x000/000.p/1 /tile/0/000.p/256 \
  /tile/../checkpoint /tile/0/%2e%2e/checkpoint /tile/0/..%2f..%2fcheckpoint /tile/entries/000.p/9; do
  got=$(http GET "$p") || true
  case $got in 4??) ;; *) fail "GET $p: HTTP $got, want 4xx" ;; esac
  checks=$((checks + 1))
done

# tiles byte-identical to export --format tiles
al 0 export --format tiles -o "$T/tiles"
n=0
while IFS= read -r f; do
  rel=${f#"$T/tiles/"}
  status_is 200 GET "/$rel"
  cmp -s "$T/body" "$f" || fail "/$rel differs from the exported file"
  n=$((n + 1))
done < <(find "$T/tiles" -type f | sort)
[ "$n" -ge 3 ] || fail "only $n exported files"
curl -s -D "$T/hdr" -o /dev/null "$URL/tile/0/000.p/5"
grep -qi '^Cache-Control: public, max-age=5' "$T/hdr" || fail "partial tile Cache-Control"
grep -qi '^ETag: "' "$T/hdr" || fail "no ETag"
al 0 audit --vkey "$VK" --tiles "$URL"

# ---- nginx in front (Debian nginx, its own config on 127.0.0.1) ----
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ -x "$NGINX" ]; then
  mkdir -p "$T/nginx/logs" "$T/nginx/tmp"
  for _ in 1 2 3 4 5; do
    NPORT=$((20000 + RANDOM % 40000))
    sed -e "s|@LISTEN@|127.0.0.1:$NPORT|; s|@UPSTREAM@|127.0.0.1:$PORT|; s|@PREFIX@|$T/nginx|g" \
      "$SRC/tests/server/nginx-test.conf" >"$T/nginx/nginx.conf"
    "$NGINX" -p "$T/nginx" -c "$T/nginx/nginx.conf" -e "$T/nginx/logs/error.log" \
      -g "daemon off;" 2>>"$T/nginx/start.err" &
    NGINX_PID=$!
    ok=
    for _ in $(seq 1 50); do
      curl -s -o /dev/null "http://127.0.0.1:$NPORT/checkpoint" && { ok=1; break; }
      kill -0 "$NGINX_PID" 2>/dev/null || break
      sleep 0.1
    done
    [ -n "$ok" ] && break
    kill -9 "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=
  done
  [ -n "$NGINX_PID" ] || fail "nginx did not start: $(tail -3 "$T/nginx/start.err")"
  al 0 audit --vkey "$VK" --tiles "http://127.0.0.1:$NPORT"
  al 0 submit --url "http://127.0.0.1:$NPORT" --vkey "$VK" "$T/good2.signed.json"
  err_has "1 new, 0 already present"
  kill -TERM "$NGINX_PID"
  wait "$NGINX_PID" 2>/dev/null || true
  NGINX_PID=
else
  echo "SKIP: nginx not installed (scripts/common.sh installs it)"
fi

# ---- bad HTTP: each a 4xx or a cut connection, and the server keeps serving ----
sum=$(data_sum)
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GARBAGE / HTTP/9.9\r\n\r\n' >&3
line=$(head -1 <&3 | tr -d '\r') || true
exec 3<&- 3>&-
case $line in "HTTP/1.1 4"* | "HTTP/1.1 505"* | "") ;; *) fail "malformed request line: got \"$line\"" ;; esac
checks=$((checks + 1))
big=$(head -c 65536 /dev/zero | tr '\0' a)
got=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$URL/checkpoint") || true
case $got in 4??|000) ;; *) fail "64 KiB header: HTTP $got" ;; esac
checks=$((checks + 1))
# a client that never finishes its request is cut off (--request-timeout 2 below)
stop_server
start_server --request-timeout 2 --idle-timeout 30
trap '' PIPE # writes to a connection the server cut fail instead of killing the test
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
for _ in 1 2 3 4 5 6; do printf 'G' >&3 2>/dev/null || break; sleep 1; done
rest=$(timeout 10 cat <&3 2>/dev/null | head -c 100) || true
exec 3<&- 3>&-
[ -z "$rest" ] || case $rest in "HTTP/1.1 4"*) ;; *) fail "slow client got: $rest" ;; esac
checks=$((checks + 1))
# 200 idle connections, then the server still answers
fds=()
for _ in $(seq 1 200); do exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"; fds+=("$fd"); done
status_is 200 GET /checkpoint
for fd in "${fds[@]}"; do exec {fd}<&-; done
status_is 200 GET /healthz
[ "$(data_sum)" = "$sum" ] || fail "bad HTTP changed the ledger"
stop_server
[ "$(data_sum)" = "$sum" ] || fail "stopping the server changed the ledger"
al 0 verify --vkey "$VK"
done_ok
