#!/usr/bin/env bash
# bench/mirror_witness.sh ATTRLEDGER [ENTRIES] - network figures of issue 13,
# one "name value unit" per line:
#   mirror_http_eps      entries/s of `attrledger mirror --url` from a fresh
#                        mirror over HTTP on loopback (tiles served by
#                        python3 -m http.server), ENTRIES entries
#   verify_full_eps      entries/s of `attrledger verify` of the same log
#   mirror_vs_verify     mirror_http_eps / verify_full_eps
#   witness_add_rps      add-checkpoint requests/s answered 200 by
#                        `attrledger witness serve` (4 client threads,
#                        keep-alive, the same checkpoint again: one cosign and
#                        one latest-checkpoint write per request)
# Use a Release build. Needs python3. Temporary files under $TMPDIR.
set -euo pipefail
AL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
N=${2:-10000}
T=$(mktemp -d "${TMPDIR:-/tmp}/al-bench-XXXXXX")
pids=()
trap 'for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done; rm -rf "$T"' EXIT
export ATTRLEDGER_DIR="$T/ledger"
now() { date +%s.%N; }

mkdir -p "$T/keys" "$T/batch"
"$AL" -q key generate --name p:admin --out "$T/keys/admin.key" --no-passphrase >/dev/null 2>&1
"$AL" -q key generate --name p:cert --out "$T/keys/cert.key" --no-passphrase >/dev/null 2>&1
"$AL" init "$T/ledger" --origin bench.example/ledger --admin "$T/keys/admin.key.pub" \
  --no-passphrase >/dev/null 2>&1
pk=$("$AL" key show --json "$T/keys/cert.key.pub" | sed 's/.*"public_key": "\([^"]*\)".*/\1/')
cat >"$T/reg.json" <<JSON
{"header": {"record_id": "reg:p:cert", "author": "p:admin", "created": "2024-01-01T00:00:00Z",
  "provenance": "PROVENANCE_FIRST_PARTY", "tlp": "TLP_CLEAR"},
 "participant": {"participant_id": "p:cert", "name": "p:cert", "roles": ["PARTICIPANT_ROLE_MEMBER"],
  "public_keys": [{"alg": "SIGNATURE_ALG_ED25519", "public_key": "$pk"}]}}
JSON
"$AL" -q sign "$T/reg.json" --key "$T/keys/admin.key" --key "$T/keys/cert.key" -o "$T/reg.s.json"
"$AL" -q submit "$T/reg.s.json" >/dev/null
done_n=2
while [ "$done_n" -lt "$N" ]; do
  n=$((N - done_n)); [ "$n" -gt 2000 ] && n=2000
  python3 - "$T/batch" "$done_n" "$n" <<'PY'
import os, sys
d, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for f in os.listdir(d): os.unlink(os.path.join(d, f))
for i in range(first, first + n):
    open(os.path.join(d, "%07d.json" % i), "w").write(
        '{"header": {"record_id": "inc:%d", "author": "p:cert", "created": "2017-05-12T00:00:00Z", '
        '"provenance": "PROVENANCE_FIRST_PARTY", "tlp": "TLP_CLEAR"}, "incident_report": '
        '{"incident_key": "inc:%d", "name": "Incident %d", "determination": '
        '"DETERMINATION_CONFIRMED", "incident_types": ["ransomware"]}}\n' % (i, i, i))
PY
  "$AL" -q submit --key "$T/keys/cert.key" "$T/batch"/*.json >/dev/null
  done_n=$((done_n + n))
done
"$AL" -q export --format tiles -o "$T/tiles"
(cd "$T/tiles" && exec python3 -m http.server 0 --bind 127.0.0.1 >"$T/http.out" 2>&1) &
pids+=($!)
for _ in $(seq 200); do grep -q "port" "$T/http.out" 2>/dev/null && break; sleep 0.05; done
port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$T/http.out" | head -1)

t0=$(now); "$AL" -q mirror --url "http://127.0.0.1:$port" --vkey "$T/ledger/log.vkey" "$T/mir" >/dev/null; t1=$(now)
t2=$(now); "$AL" -q verify --vkey "$T/ledger/log.vkey" >/dev/null; t3=$(now)
python3 - "$N" "$t0" "$t1" "$t2" "$t3" <<'PY'
import sys
n, t0, t1, t2, t3 = int(sys.argv[1]), *map(float, sys.argv[2:])
m, v = n / (t1 - t0), n / (t3 - t2)
print("mirror_http_eps %.0f entries/s" % m)
print("verify_full_eps %.0f entries/s" % v)
print("mirror_vs_verify %.2f ratio" % (m / v))
PY

"$AL" -q witness init --name w.bench --out "$T/w.key" --no-passphrase >/dev/null 2>&1
"$AL" -q witness serve --key "$T/w.key" --state "$T/w.state" --log-vkey "$T/ledger/log.vkey" \
  --listen 127.0.0.1:0 --port-file "$T/w.port" &
pids+=($!)
for _ in $(seq 200); do [ -s "$T/w.port" ] && break; sleep 0.05; done
"$AL" checkpoint >"$T/cp"
python3 - "$(cat "$T/w.port")" "$T/cp" <<'PY'
import http.client, sys, threading, time
port, cp = int(sys.argv[1]), open(sys.argv[2], "rb").read()
size = cp.split(b"\n")[1]
c = http.client.HTTPConnection("127.0.0.1", port); c.request("POST", "/add-checkpoint", b"old 0\n\n" + cp)
assert c.getresponse().read() and True
body = b"old " + size + b"\n\n" + cp
per, ok = 500, [0]
lock = threading.Lock()
def run():
    c = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(per):
        c.request("POST", "/add-checkpoint", body); r = c.getresponse(); r.read()
        if r.status == 200:
            with lock: ok[0] += 1
ts = [threading.Thread(target=run) for _ in range(4)]
t0 = time.time(); [t.start() for t in ts]; [t.join() for t in ts]; t1 = time.time()
print("witness_add_rps %.0f requests/s (%d of %d answered 200)" % (ok[0] / (t1 - t0), ok[0], 4 * per))
PY
