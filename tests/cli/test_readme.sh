# README's "Using it" works as written: its sh block runs in order, with
# `set -e`, in an empty directory, with `attrledger` on PATH and every
# passphrase read from a file (--passphrase-file before each command).
# Then the state it leaves is checked: the claim is entry 4 and verified,
# the witness cosignature is stored and the receipt meets the policy.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || { echo "SKIP: jq not installed (README uses it)"; exit 0; }
W="$T/readme"
mkdir -p "$W" "$T/bin"
ln -s "$AL" "$T/bin/attrledger"
printf 'correct horse battery staple\n' >"$T/pass"
# The block between "## Using it" and the first closing fence after it.
awk '/^## Using it/{u=1} u&&/^```sh$/{b=1;next} b&&/^```$/{exit} b{print}' \
  "$SRC/README.md" >"$T/using.sh"
[ "$(wc -l <"$T/using.sh")" -gt 40 ] || fail "README's Using it block not found"
{
  echo 'set -euo pipefail'
  echo "attrledger() { command attrledger --passphrase-file '$T/pass' \"\$@\"; }"
  cat "$T/using.sh"
} >"$T/run.sh"
(cd "$W" && PATH="$T/bin:$PATH" expect 0 bash "$T/run.sh")
# What the commands left behind.
[ -d "$W/receipts" ] && [ -f "$W/receipts/entry-4.tlog-proof" ] || fail "no receipt for entry 4"
grep -q "^— witness.example.org/w1 " "$W/r.tlog-proof" || fail "receipt lacks the cosignature"
checks=$((checks + 2))
al 0 -C "$W/ledger" show clm:notpetya-ua --json
out_has '"record_id":"clm:notpetya-ua"'
al 0 -C "$W/ledger" verify --vkey "$W/log.vkey"
out_has "ok: 5 entries"
done_ok
