#!/usr/bin/env bash
# bench/site_page.sh DEMO_DIR: page weight of the WannaCry case page of the
# demo's site (scripts/demo --dir DEMO_DIR) and its in-browser verification
# time in headless chromium (median of 5 loads, read from the page's own
# <body data-verify-ms>). One figure per line, "name value unit".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
site=${1:?usage: bench/site_page.sh DEMO_DIR}/work/site
page=incident/inc~3awannacry-2017.html
httpd=${ATTRLEDGER_HTTPD:-$root/build/release/tests/ledger_httpd}
[ -f "$site/$page" ] || { echo "no $site/$page (run scripts/demo --dir DIR first)" >&2; exit 2; }
tmp=$(mktemp -d)
"$httpd" "$site" --port-file "$tmp/port" --max-seconds 300 >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
html=$(stat -c %s "$site/$page")
assets=$(( $(stat -c %s "$site/assets/site.css") + $(stat -c %s "$site/assets/site.js") ))
echo "site_case_page_html $html bytes"
echo "site_case_page_with_assets $((html + assets)) bytes"
times=()
for i in 1 2 3 4 5; do
  chromium --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/chrome$i" \
    --virtual-time-budget=20000 --dump-dom \
    "http://127.0.0.1:$(cat "$tmp/port")/$page#verify" 2>/dev/null >"$tmp/dom"
  grep -q 'data-verify="done"' "$tmp/dom" || { echo "verification did not finish" >&2; exit 1; }
  [ "$(grep -c 'data-verified="failed"' "$tmp/dom")" = 0 ] || { echo "a record failed" >&2; exit 1; }
  times+=("$(grep -o 'data-verify-ms="[0-9]*"' "$tmp/dom" | grep -o '[0-9]*')")
done
echo "site_verify_wannacry_ms $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) ms"
echo "site_verify_wannacry_records $(grep -c 'data-verified="ok"' "$tmp/dom") records"
