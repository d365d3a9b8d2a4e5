# attrledger serve, operations: prove --url (verified proofs, a lying
# server refused), 403 vs 422 from the rule book's refusal kind, the rate
# limit per signing key, per-route latency in /metrics, SIGHUP reopening
# --log-file, and a --read-only server beside the writer.
. "$(dirname "$0")/lib_server.sh"
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 0; }
W_PID= LIAR_PID=
ops_cleanup() {
  [ -n "$W_PID" ] && kill -9 "$W_PID" 2>/dev/null || true
  [ -n "$LIAR_PID" ] && kill -9 "$LIAR_PID" 2>/dev/null || true
  server_cleanup
}
trap ops_cleanup EXIT

new_ledger
member p:cert MEMBER CLAIMANT
member p:cur CURATOR
member p:other MEMBER
VK="$T/ledger/log.vkey"
seed p:cert
start_server --rate-per-key 1 --log-file "$T/req.log"

signed() { # signed FILE KEY...: sign FILE with each KEY into FILE.signed
  local f=$1 args=()
  shift
  for k in "$@"; do args+=(--key "$k"); done
  "$AL" -q sign "$f" "${args[@]}" -o "$f.signed"
}
post() { status_is "$1" POST /add-records -H 'Content-Type: application/json' --data-binary @"$2"; }

# ---- 403 vs 422: the kind of refusal comes from the rule book ----
"$AL" -q key generate --name p:stranger --out "$T/keys/stranger.key" --no-passphrase >/dev/null 2>&1
incident_json inc:unknown p:cert "$T/r1.json"
signed "$T/r1.json" "$T/keys/stranger.key"
post 403 "$T/r1.json.signed"
body_has '"code":"unknown_key"'
incident_json inc:notsigned p:cert "$T/r2.json"
signed "$T/r2.json" "$(keyof p:other)"
post 403 "$T/r2.json.signed"
body_has '"code":"not_authorized"'
incident_json inc:norole p:cur "$T/r3.json"
signed "$T/r3.json" "$(keyof p:cur)"
post 403 "$T/r3.json.signed"
body_has '"code":"not_authorized"'
CLAIM_INCIDENT=inc:none claim_json clm:rule p:cert "$T/r4.json"
signed "$T/r4.json" "$(keyof p:cert)"
post 422 "$T/r4.json.signed"
body_has '"code":"rule"'

# ---- rate limit per signing key (--rate-per-key 1: burst 2) ----
# Forged requests naming p:other's key (bad signatures) spend nothing of
# its budget: only appended records count.
incident_json inc:o1 p:other "$T/o1.json"
signed "$T/o1.json" "$(keyof p:other)"
sig=$(grep -o '"signature": "[^"]*"' "$T/o1.json.signed" | head -1 | cut -d'"' -f4)
[ "${sig:0:1}" = A ] && repl=B || repl=A
sed "s|\"signature\": \"$sig\"|\"signature\": \"$repl${sig:1}\"|" "$T/o1.json.signed" >"$T/forged.json"
for _ in 1 2 3 4 5; do post 403 "$T/forged.json"; body_has '"code":"bad_signature"'; done
post 200 "$T/o1.json.signed"
# Five records of p:cert in one request: appended, its bucket goes to 2-5.
for i in 1 2 3 4 5; do
  incident_json "inc:b$i" p:cert "$T/b$i.json"
  signed "$T/b$i.json" "$(keyof p:cert)"
done
{ printf '['; for i in 1 2 3 4 5; do [ "$i" = 1 ] || printf ','; cat "$T/b$i.json.signed"; done; printf ']'; } >"$T/five.json"
post 200 "$T/five.json"
body_has '"existed":false'
incident_json inc:b6 p:cert "$T/b6.json"
signed "$T/b6.json" "$(keyof p:cert)"
curl -sS -D "$T/hdr" -o "$T/body" -H 'Content-Type: application/json' --data-binary @"$T/b6.json.signed" \
  "$URL/add-records" >/dev/null
grep -q '^HTTP/1.1 429' "$T/hdr" || fail "a key over its budget: $(head -1 "$T/hdr")"
grep -qi '^Retry-After: [1-9]' "$T/hdr" || fail "429 without Retry-After"
body_has '"code":"rate_limited"'
# ... while another key, from the same address, still writes.
incident_json inc:o2 p:other "$T/o2.json"
signed "$T/o2.json" "$(keyof p:other)"
post 200 "$T/o2.json.signed"
# a resubmission of p:cert's records spends nothing but is refused while over budget
post 429 "$T/b1.json.signed"

# ---- prove --url: the same proofs as the local ledger, verified ----
SIZE=$("$AL" checkpoint | sed -n 2p)
for args in "inclusion 3" "inclusion 3 --size 5" "inclusion inc:b2" "consistency 2" \
  "consistency 2 5" "consistency 0 $SIZE" "inclusion 0 --json" "consistency 3 6 --json"; do
  # shellcheck disable=SC2086
  al 0 prove $args
  cp "$T/out" "$T/local.out"
  # shellcheck disable=SC2086
  al 0 prove $args --url "$URL" --vkey "$VK"
  same_file "$T/out" "$T/local.out"
done
al 1 prove inclusion 1 --url "$URL" --vkey "$T/keys/admin.key.pub" 2>/dev/null || true
al 2 prove inclusion 1 --url "$URL"
al 2 prove consistency 3 1 --url "$URL" --vkey "$VK"
al 3 prove inclusion 999 --url "$URL" --vkey "$VK"
err_has "entry 999 is not in a tree of size"
# A server that alters one hash of every proof is caught.
if command -v python3 >/dev/null; then
  python3 - "$PORT" "$T/liar.port" <<'PY' 2>"$T/liar.err" &
import base64, http.server, json, sys, urllib.request
up = "http://127.0.0.1:%s" % sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with urllib.request.urlopen(up + self.path) as r:
            body = r.read()
        if self.path.startswith("/proof/"):
            j = json.loads(body)
            if j["hashes"]:
                h = bytearray(base64.b64decode(j["hashes"][0])); h[0] ^= 1
                j["hashes"][0] = base64.b64encode(bytes(h)).decode()
            else:
                k = "root" if "root" in j else "old_root"
                h = bytearray(base64.b64decode(j[k])); h[0] ^= 1
                j[k] = base64.b64encode(bytes(h)).decode()
            body = json.dumps(j).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[2], "w").write("%d\n" % s.server_port)
s.timeout = 1
for _ in range(600):
    s.handle_request()
PY
  LIAR_PID=$!
  for _ in $(seq 1 100); do [ -s "$T/liar.port" ] && break; sleep 0.1; done
  LIAR="http://127.0.0.1:$(cat "$T/liar.port")"
  for args in "inclusion 3" "inclusion 3 --size 5" "consistency 2" "consistency 2 5"; do
    # shellcheck disable=SC2086
    al 1 prove $args --url "$LIAR" --vkey "$VK"
    err_one_line
  done
  kill "$LIAR_PID" 2>/dev/null || true
  wait "$LIAR_PID" 2>/dev/null || true
  LIAR_PID=
else
  echo "SKIP: python3 not found (lying-server part)"
fi

# ---- per-route latency in /metrics ----
for _ in 1 2 3 4 5 6 7; do status_is 200 GET /log.vkey; done
status_is 200 GET /metrics
body_has 'attrledger_http_request_milliseconds_count{route="log-vkey"} 7'
body_has 'attrledger_http_request_milliseconds_bucket{route="log-vkey",le="+Inf"} 7'
body_has 'attrledger_http_request_max_milliseconds{route="log-vkey"} '
body_has 'attrledger_http_request_milliseconds_sum{route="add-records"} '
grep -q '^# TYPE attrledger_http_request_milliseconds histogram$' "$T/body" || fail "no histogram TYPE line"
n=$(grep -c 'attrledger_http_request_milliseconds_bucket{route="log-vkey"' "$T/body")
[ "$n" = 11 ] || fail "log.vkey has $n buckets, want 11"

# ---- SIGHUP reopens --log-file ----
status_is 200 GET /healthz
mv "$T/req.log" "$T/req.log.1"
kill -HUP "$SRV_PID"
for _ in $(seq 1 100); do [ -s "$T/req.log" ] && break; sleep 0.1; done
grep -q "log reopened (SIGHUP)" "$T/req.log" || fail "no 'log reopened' line in the new log"
status_is 200 GET /entries/1
for _ in $(seq 1 50); do grep -q "GET /entries/1 200" "$T/req.log" && break; sleep 0.1; done
grep -q "GET /entries/1 200" "$T/req.log" || fail "the request after SIGHUP is not in the new log"
grep -q "GET /entries/1 " "$T/req.log.1" && fail "the request after SIGHUP went to the old log"
grep -q "GET /healthz 200" "$T/req.log.1" || fail "the old log lost its lines"
checks=$((checks + 5))

# ---- --read-only beside the writer: reads work, POST is refused ----
W_PID=$SRV_PID W_URL=$URL
SRV_PID=
start_server --read-only
R_PID=$SRV_PID
grep -q "(read-only)" "$T/server.log" || fail "no read-only start line"
post 404 "$T/o2.json.signed"
status_is 200 GET /checkpoint
curl -sS "$W_URL/checkpoint" >"$T/w.cp"
same_file "$T/body" "$T/w.cp"
status_is 200 GET /entries/3
al 0 prove inclusion 3 --url "$URL" --vkey "$VK"
# a write through the writer is seen by the read-only server
incident_json inc:late p:other "$T/late.json"
signed "$T/late.json" "$(keyof p:other)"
al 0 submit --url "$W_URL" --vkey "$VK" "$T/late.json.signed"
status_is 200 GET /records/inc:late
al 0 checkpoint --url "$URL" --vkey "$VK"
curl -sS "$W_URL/checkpoint" >"$T/w.cp"
same_file "$T/out" "$T/w.cp"
stop_server
SRV_PID=$W_PID URL=$W_URL
W_PID=
stop_server
al 0 verify --vkey "$VK"
done_ok
