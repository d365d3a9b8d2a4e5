# export --format site, checked in a real browser (label browser).
#
# Debian's chromium, headless, loads pages of a site served on 127.0.0.1
# by tests/tools/httpd.c, with #verify so site.js checks every record on
# load; --dump-dom with a virtual-time budget returns the DOM once the
# page is idle, and tests/browser/check_site.py reads it.
#   - the sample ledger (examples/sample): every page well-formed (strict
#     html5lib) with every relative link resolving; a second export writes
#     nothing; every record of the WannaCry and NotPetya pages ends
#     data-verified="ok" and <body> data-verify="done";
#   - one changed byte in the entry bundle (inside one record's leaf): that
#     record fails and the others pass; in the level-0 hash tile (which
#     every proof of this 245-entry tree reads): all fail; in the
#     checkpoint: all fail;
#   - hostile records (script tags, attribute breakouts, javascript: URLs,
#     SVG with script, RTL override, a 60,000-byte title): no script ran
#     (no data-pwned anywhere, title unchanged), the text is escaped, the
#     override shows as a marker, the long field is cut, and the hostile
#     records still verify.
# Skips (exit 77, reported as skipped by ctest) when chromium or html5lib
# is missing or chromium cannot start.
. "$(dirname "$0")/../cli/lib.sh"

HTTPD=${ATTRLEDGER_HTTPD:?set ATTRLEDGER_HTTPD to the test httpd}
PY=/usr/bin/python3
CHECK="$SRC/tests/browser/check_site.py"
skip() { echo "SKIP: $*" >&2; exit 77; }
command -v chromium >/dev/null || skip "chromium is not installed (scripts/common.sh installs it)"
[ -x "$PY" ] && "$PY" -c 'import html5lib' 2>/dev/null || skip "python3-html5lib is not installed"
command -v jq >/dev/null || fail "jq is required"

CHROME=(chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions
  --user-data-dir="$T/chrome" --virtual-time-budget=20000)
timeout 60 "${CHROME[@]}" --dump-dom about:blank >"$T/blank" 2>/dev/null ||
  skip "chromium cannot start headless here"
grep -q '<body' "$T/blank" || skip "chromium started but rendered nothing"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT

# serve DIR: start httpd on DIR; sets PORT.
serve() {
  rm -f "$T/port"
  "$HTTPD" "$1" --port-file "$T/port" --max-seconds 600 >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do [ -s "$T/port" ] && break; sleep 0.05; done
  PORT=$(cat "$T/port") || fail "httpd did not start"
}

# dom URLPATH OUT: load the page with #verify, dump the DOM and read it.
dom() {
  timeout 90 "${CHROME[@]}" --dump-dom "http://127.0.0.1:$PORT/$1#verify" >"$T/dom.html" \
    2>"$T/chrome.err" || fail "chromium failed on $1"
  "$PY" "$CHECK" dom "$T/dom.html" >"$2" 2>"$2.why" || fail "cannot read the DOM of $1"
  grep -qx 'body done' "$2" || fail "$1: verification did not finish"
  checks=$((checks + 1))
}
# count STATE FILE: records with data-verified=STATE
count() { grep -c " $1\$" "$2" || true; }

# ---- the sample ledger ----
sample_ledger

al 0 --json export --format site -o "$T/site"
[ "$(jq -r .pages "$T/out")" -gt 50 ] || fail "too few pages"
al 0 --json export --format site -o "$T/site"
[ "$(jq -r '.written, .tiles_written' "$T/out" | tr '\n' ' ')" = "0 0 " ] ||
  fail "a second export rewrote files: $(cat "$T/out")"
checks=$((checks + 1))
"$PY" "$CHECK" pages "$T/site" >"$T/out" || fail "pages check: $(cat "$T/out")"
checks=$((checks + 1))
for f in index.html assets/site.js assets/site.css checkpoint incident/inc~3awannacry-2017.html \
  actor/act~3alazarus.html participant/p~3auk-gov.html; do
  [ -f "$T/site/$f" ] || fail "site lacks $f"
done
grep -q "default-src 'self'" "$T/site/incident/inc~3awannacry-2017.html" || fail "no CSP"
if grep -l '<script>\|style=' -r "$T/site" --include='*.html' >/dev/null; then
  fail "inline script or style in a page"
fi

serve "$T/site"
for inc in wannacry-2017 notpetya-2017; do
  dom "incident/inc~3a$inc.html" "$T/$inc.dom"
  n=$(grep -c '^[0-9]' "$T/$inc.dom")
  [ "$n" -gt 10 ] || fail "$inc: only $n records"
  [ "$(count ok "$T/$inc.dom")" = "$n" ] || fail "$inc: not all verified: $(grep -v ' ok$' "$T/$inc.dom")"
done

# One byte of one record's leaf in its entry bundle.
uk=$("$AL" show clm:wc-uk-fco --json | jq -r .index)
cp -r "$T/site" "$T/bad1"
b="$T/bad1/tile/entries/000.p/$(sed -n 2p "$T/site/checkpoint")"
off=$("$PY" "$CHECK" bundle-offset "$b" "$uk")
printf '\x00' | dd of="$b" bs=1 seek="$off" conv=notrunc 2>/dev/null
cmp -s "$b" "$T/site/${b#"$T/bad1/"}" && fail "bundle unchanged"
serve "$T/bad1"
dom "incident/inc~3awannacry-2017.html" "$T/bad1.dom"
grep -q "^$uk clm:wc-uk-fco failed$" "$T/bad1.dom" || fail "changed leaf not caught"
[ "$(count failed "$T/bad1.dom")" = 1 ] || fail "changed leaf failed other records"

# One byte of that record's leaf hash in the level-0 tile. The sample's
# 245 entries fit one tile, so every inclusion proof reads hashes of that
# tile, and every proof but the record's own covers its hash; the record
# itself fails too, because its author's key registration is proved with
# the changed hash. (In a tree of more than 256 entries a level-0 tile
# only serves the proofs inside its 256 leaves: the level-1 tile holds the
# hash of the whole block.)
cp -r "$T/site" "$T/bad2"
size=$(sed -n 2p "$T/site/checkpoint")
[ "$size" -lt 256 ] || fail "the sample no longer fits one tile; adjust the test"
tile="$T/bad2/tile/0/000.p/$size"
printf '\xff' | dd of="$tile" bs=1 seek=$((uk * 32 + 5)) conv=notrunc 2>/dev/null
cmp -s "$tile" "$T/site/tile/0/000.p/$size" && fail "tile unchanged"
serve "$T/bad2"
dom "incident/inc~3awannacry-2017.html" "$T/bad2.dom"
[ "$(count ok "$T/bad2.dom")" = 0 ] || fail "changed tile hash not caught: $(grep ' ok$' "$T/bad2.dom")"

# One byte of the checkpoint's root.
cp -r "$T/site" "$T/bad3"
sed -i '3s/^./A/;3s/^AA/BA/' "$T/bad3/checkpoint"
cmp -s "$T/bad3/checkpoint" "$T/site/checkpoint" && fail "checkpoint unchanged"
serve "$T/bad3"
dom "incident/inc~3anotpetya-2017.html" "$T/bad3.dom"
[ "$(count ok "$T/bad3.dom")" = 0 ] || fail "changed checkpoint not caught"

# ---- hostile records ----
unset ATTRLEDGER_DIR
new_ledger
member p:evil MEMBER
long=$(head -c 60000 /dev/zero | tr '\0' 'A')
rlo=$(printf '\u202e')
cat >"$T/evil.json" <<JSON
{"header": {"record_id": "inc:evil", "author": "p:evil", "created": "2017-05-12T00:00:00Z",
  "provenance": "PROVENANCE_FIRST_PARTY", "tlp": "TLP_CLEAR"},
 "incident_report": {"incident_key": "inc:evil",
  "name": "<script>document.body.dataset.pwned=1</script>evil",
  "aliases": ["\"><img src=x onerror=\"document.body.dataset.pwned=1\">",
              "<svg><script>document.body.dataset.pwned=1</script></svg>",
              "gpj.${rlo}exe"],
  "description": "$long",
  "determination": "DETERMINATION_CONFIRMED", "incident_types": ["ransomware"],
  "external_references": [{"source_name": "x", "url": "javascript:document.body.dataset.pwned=1"},
                          {"source_name": "y", "url": "https://example.org/\"onmouseover=\"x"}]}}
JSON
"$AL" -q submit --key "$(keyof p:evil)" "$T/evil.json" >/dev/null || fail "submit hostile record"
al 0 export --format site -o "$T/evil"
"$PY" "$CHECK" pages "$T/evil" >"$T/out" || fail "hostile pages: $(cat "$T/out")"
page="$T/evil/incident/inc~3aevil.html"
grep -qF '&lt;script&gt;document.body.dataset.pwned=1&lt;/script&gt;evil' "$page" || fail "script not escaped"
grep -qF '&quot;&gt;&lt;img src=x onerror=&quot;' "$page" || fail "attribute breakout not escaped"
grep -qF 'href="javascript' "$page" && fail "javascript: URL became a link"
grep -qF 'data-cp="202e"' "$page" || fail "RTL override not shown as a marker"
grep -qF "more bytes in the raw record" "$page" || fail "long field not cut"
[ "$(grep -c "$long" "$page" || true)" = 0 ] || fail "long field shown whole"
serve "$T/evil"
dom "incident/inc~3aevil.html" "$T/evil.dom"
grep -qx 'pwned 0' "$T/evil.dom" || fail "a hostile script ran"
grep -q '<title>&lt;script&gt;' "$T/dom.html" || fail "title changed: $(grep -o '<title>[^<]*' "$T/dom.html")"
[ "$(count failed "$T/evil.dom")" = 0 ] || fail "hostile records did not verify: $(cat "$T/evil.dom.why")"
checks=$((checks + 1))
echo "ok: $checks checks"
