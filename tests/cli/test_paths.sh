# Long paths (issue 11, item 7): no fixed buffer cuts a path short. A
# ledger directory, or a receipts directory, too deep for the names the
# tool makes in it is refused before anything is made, with one line
# naming the path and the limit; one that fits works.
. "$(dirname "$0")/lib.sh"

# deep LEN: a directory path of exactly LEN bytes under $T/deep (made up
# to its parent), in components of at most 100 bytes.
deep() {
  local want=$1 p="$T/deep" c
  while [ $((want - ${#p})) -gt 101 ]; do
    p="$p/$(printf 'd%.0s' $(seq 100))"
  done
  c=$((want - ${#p} - 1))
  mkdir -p "$p"
  printf '%s/%s' "$p" "$(printf 'e%.0s' $(seq "$c"))"
}
listing() { (cd "$T/deep" && find . | sort); }

# The longest name in a ledger directory is writer.lock (11 bytes): a
# directory of 4083 bytes gives paths of exactly 4095, the most Linux takes.
d=$(deep 4083)
[ ${#d} -eq 4083 ] || fail "deep 4083 made ${#d} bytes"
al 0 init "$d" --origin test.example/deep --no-passphrase
[ -f "$d/writer.lock" ] && [ -f "$d/data.mdb" ] && [ -f "$d/log.vkey" ] ||
  fail "init in a 4083-byte directory did not make the ledger's files"
al 0 verify -C "$d"
rm -rf "$T/deep"

# One byte more, and the issue's 4,086: refused, exit 2, nothing made.
for n in 4084 4086; do
  d=$(deep "$n")
  before=$(listing)
  al 2 init "$d" --origin test.example/deep --no-passphrase
  err_one_line
  err_has "path too long ($((n + 12)) bytes, at most 4095)"
  err_has "/writer.lock"
  [ "$(listing)" = "$before" ] || fail "init in a $n-byte directory left files behind"
  rm -rf "$T/deep"
done

# submit --out-dir: the longest receipt name (entry-<20 digits>.tlog-proof,
# 37 bytes) must fit, checked before the batch is committed.
new_ledger
member p:cert MEMBER
incident_json inc:long p:cert "$T/inc.json"
"$AL" -q sign "$T/inc.json" --key "$(keyof p:cert)" -o "$T/inc.signed.json"
before=$(data_sum)
d=$(deep 4070)
al 2 submit "$T/inc.signed.json" --out-dir "$d"
err_one_line
err_has "path too long (4108 bytes, at most 4095)"
err_has "entry-18446744073709551615.tlog-proof"
[ "$(data_sum)" = "$before" ] || fail "submit with a too-deep --out-dir changed the ledger"
rm -rf "$T/deep"
d=$(deep 4057)
al 0 submit "$T/inc.signed.json" --out-dir "$d"
ls "$d" | grep -q '^entry-[0-9]*\.tlog-proof$' || fail "no receipt in a 4057-byte --out-dir"

# serve --site: the site directory, a request path of at most 512 bytes
# and index.html must fit; checked at start.
d=$(deep 3600)
mkdir -p "$d"
al 2 serve --listen 127.0.0.1:0 --site "$d"
err_one_line
err_has "site directory path too long (3600 bytes, at most 3573)"

done_ok
