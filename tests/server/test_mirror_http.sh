# attrledger mirror over HTTP: a 10,000-entry log served as static tiles on
# 127.0.0.1 is mirrored byte-identically and `verify` passes on the mirror;
# after 1,000 more entries a second run fetches only the new bundles.
set -eu
. "$(dirname "$0")/srvlib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 0; }

# batch FIRST COUNT: COUNT incident reports by p:cert, one batch.
batch() {
  python3 - "$T/batch" "$1" "$2" <<'PY'
import os, sys
d, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(d, exist_ok=True)
for f in os.listdir(d):
    os.unlink(os.path.join(d, f))
for i in range(first, first + n):
    with open(os.path.join(d, "%06d.json" % i), "w") as f:
        f.write('{"header": {"record_id": "inc:%d", "author": "p:cert", '
                '"created": "2017-05-12T00:00:00Z", "provenance": "PROVENANCE_FIRST_PARTY", '
                '"tlp": "TLP_CLEAR"}, "incident_report": {"incident_key": "inc:%d", '
                '"name": "Incident %d", "determination": "DETERMINATION_CONFIRMED", '
                '"incident_types": ["ransomware"]}}\n' % (i, i, i))
PY
  "$AL" -q submit --key "$(keyof p:cert)" "$T/batch"/*.json >/dev/null
}

new_ledger
member p:cert MEMBER
N0=$("$AL" checkpoint | sed -n 2p)
total=$N0
while [ "$total" -lt 10000 ]; do
  n=$((10000 - total))
  [ "$n" -gt 2000 ] && n=2000
  batch "$total" "$n"
  total=$((total + n))
done
[ "$("$AL" checkpoint | sed -n 2p)" = 10000 ] || fail "source log is not 10,000 entries"
VK="$T/ledger/log.vkey"
"$AL" -q export --format tiles -o "$T/tiles"
static_up tiles "$T/tiles"

al 0 mirror --url "$SURL" --vkey "$VK" "$T/mir"
out_is "mirror $T/mir of test.example/ledger: size 0 -> 10000 (10000 entries verified and appended, 40 bundles read)"
al 0 -C "$T/mir" verify
"$AL" -C "$T/mir" -q export --format tiles -o "$T/mtiles"
for b in 000 020 039.p/16; do same_file "$T/tiles/tile/entries/$b" "$T/mtiles/tile/entries/$b"; done
same_file "$T/tiles/checkpoint" "$T/mtiles/checkpoint"

# 1,000 more: only bundles 39 (now full) to 42 are read.
batch 10000 1000
"$AL" -q export --format tiles -o "$T/tiles"
before=$(wc -l <"$T/tiles.log")
al 0 mirror --url "$SURL" --vkey "$VK" "$T/mir"
out_is "mirror $T/mir of test.example/ledger: size 10000 -> 11000 (1000 entries verified and appended, 4 bundles read)"
tail -n +"$((before + 1))" "$T/tiles.log" >"$T/run2.log"
grep -q "GET /tile/entries/039 " "$T/run2.log" || fail "bundle 039 was not read"
! grep -q "GET /tile/entries/0[0-3][0-8]" "$T/run2.log" || fail "old bundles were read again"
al 0 -C "$T/mir" verify
al 0 mirror --url "$SURL" --vkey "$VK" "$T/mir"
out_is "mirror $T/mir of test.example/ledger: up to date at size 11000"
done_ok
