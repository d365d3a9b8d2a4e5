# attrledger mirror / verify-fork: a mirror follows a log's tiles (a
# directory here; over HTTP in test_mirror_http.sh), verifies every entry,
# is a normal ledger that refuses submit, fetches only what is new, and
# refuses a forked or rolled-back log with a checkable fork report, leaving
# itself byte-for-byte unchanged.
set -eu
. "$(dirname "$0")/lib.sh"
: "${T:?}"

msum() { sha256sum "$T/mir/data.mdb" | cut -d' ' -f1; }

new_ledger
member p:cert MEMBER
seed p:cert
VK="$T/ledger/log.vkey"
"$AL" -q export --format tiles -o "$T/tiles"

# A new mirror: everything verified and appended; log.vkey written.
al 0 mirror --url "$T/tiles" --vkey "$VK" "$T/mir"
out_is "mirror $T/mir of test.example/ledger: size 0 -> 4 (4 entries verified and appended, 1 bundles read)"
same_file "$VK" "$T/mir/log.vkey"
al 0 -C "$T/mir" verify
al 0 -C "$T/mir" show inc:test
out_has "inc:test"
# Entries are byte-identical to the log's (the entry bundles hold the
# exact leaves), and so are the derived listings.
"$AL" -C "$T/ledger" log --json >"$T/a.json"
"$AL" -C "$T/mir" log --json >"$T/b.json"
same_file "$T/a.json" "$T/b.json"
"$AL" -C "$T/ledger" -q export --format tiles -o "$T/tiles-log"
"$AL" -C "$T/mir" -q export --format tiles -o "$T/tiles-mir"
diff -r "$T/tiles-log" "$T/tiles-mir" >/dev/null || fail "the mirror's tiles differ from the log's"
# Again: nothing new.
al 0 mirror --url "$T/tiles" --vkey "$VK" "$T/mir"
out_is "mirror $T/mir of test.example/ledger: up to date at size 4"

# A mirror refuses submit with a clear error, unchanged.
claim_json clm:one p:cert "$T/c1.json"
before=$(msum)
al 2 -C "$T/mir" submit --key "$(keyof p:cert)" "$T/c1.json"
err_has "is a mirror of test.example/ledger"
err_one_line
[ "$(msum)" = "$before" ] || fail "refused submit changed the mirror"

# Only what is new: one more entry, one bundle, one entry appended.
"$AL" -q submit --key "$(keyof p:cert)" "$T/c1.json" >/dev/null
"$AL" -q export --format tiles -o "$T/tiles"
al 0 mirror --url "$T/tiles" --vkey "$VK" "$T/mir" --json
out_is '{"origin":"test.example/ledger","old_size":4,"size":5,"root":"'"$(sed -n 3p "$T/tiles/checkpoint")"'","appended":1,"bundles":1,"created":false}'
al 0 -C "$T/mir" verify

# A fork: a copy of the log with a different entry 5, under the same key.
cp -r "$T/ledger" "$T/fork"
claim_json clm:two p:cert "$T/c2.json"
claim_json clm:three p:cert "$T/c3.json"
"$AL" -C "$T/ledger" -q submit --key "$(keyof p:cert)" "$T/c2.json" >/dev/null
"$AL" -C "$T/fork" -q submit --key "$(keyof p:cert)" "$T/c3.json" >/dev/null
"$AL" -C "$T/ledger" -q export --format tiles -o "$T/tiles"
"$AL" -C "$T/fork" -q export --format tiles -o "$T/tiles-fork"
al 0 mirror --url "$T/tiles" --vkey "$VK" "$T/mir"
before=$(msum)
# Same size, other root.
al 1 mirror --url "$T/tiles-fork" --vkey "$VK" "$T/mir"
err_has "FORK: test.example/ledger signed two conflicting trees: size 6 root $(sed -n 3p "$T/tiles/checkpoint")"
err_has "size 6 root $(sed -n 3p "$T/tiles-fork/checkpoint") (served now)"
err_one_line
[ "$(msum)" = "$before" ] || fail "a fork changed the mirror"
al 0 verify-fork "$T/mir.fork-report" --vkey "$VK"
out_has "fork proven: test.example/ledger signed size 6"
# The fork grows: larger, but its prefix is not the mirror's.
claim_json clm:four p:cert "$T/c4.json"
"$AL" -C "$T/fork" -q submit --key "$(keyof p:cert)" "$T/c4.json" >/dev/null
"$AL" -C "$T/fork" -q export --format tiles -o "$T/tiles-fork"
al 1 mirror --url "$T/tiles-fork" --vkey "$VK" "$T/mir" --fork-report "$T/grown.report"
err_has "size 6 root $(sed -n 3p "$T/tiles/checkpoint") (held by the mirror) and size 7"
[ "$(msum)" = "$before" ] || fail "a grown fork changed the mirror"
al 0 verify-fork "$T/grown.report" --vkey "$VK" --json
out_has '"held":{"size":6'
out_has '"other":{"size":7'
# The mirror is ahead of a rolled-back fork: a smaller, conflicting tree.
"$AL" -C "$T/ledger" -q submit --key "$(keyof p:cert)" "$T/c4.json" "$T/c3.json" >/dev/null
"$AL" -C "$T/ledger" -q export --format tiles -o "$T/tiles"
al 0 mirror --url "$T/tiles" --vkey "$VK" "$T/mir"
before=$(msum)
al 1 mirror --url "$T/tiles-fork" --vkey "$VK" "$T/mir" --fork-report "$T/back.report"
[ "$(msum)" = "$before" ] || fail "a rollback changed the mirror"
al 0 verify-fork "$T/back.report" --vkey "$VK"
out_has "size 8 root"
# A stale copy of the real log (a prefix) is refused without a report.
al 1 mirror --url "$T/tiles-log" --vkey "$VK" "$T/mir" --fork-report "$T/stale.report"
err_has "rollback: the remote serves size 4, older than the mirror's 8"
[ ! -e "$T/stale.report" ] || fail "a stale remote produced a fork report"

# verify-fork refuses what proves nothing, and damage.
al 1 verify-fork "$T/back.report" --vkey "$T/keys/admin.key.pub"
printf 'attrledger fork report v1\nheld 3\nabc' >"$T/bad.report"
al 1 verify-fork "$T/bad.report" --vkey "$VK"
err_one_line

# The mirror as a cosigner: its cosignature is stored with the checkpoint
# it reached and counts in a policy like a witness's.
"$AL" -q witness init --name mirror.example/m1 --out "$T/m1.key" --no-passphrase >/dev/null 2>&1
al 0 mirror --url "$T/tiles" --vkey "$VK" "$T/mir" --key "$T/m1.key"
err_has "cosigned size 8 as mirror.example/m1"
al 0 -C "$T/mir" checkpoint --with-cosignatures
out_has "— mirror.example/m1 "
printf 'log %s\nwitness m1 %s\nquorum m1\n' "$(cat "$VK")" "$(cat "$T/m1.key.pub")" >"$T/policy"
"$AL" -C "$T/mir" prove inclusion clm:one --receipt --with-cosignatures >"$T/r1"
"$AL" -C "$T/mir" show clm:one --leaf-out "$T/leaf1" >/dev/null
al 0 verify-receipt --policy "$T/policy" "$T/r1" --leaf "$T/leaf1"
"$AL" -C "$T/mir" prove inclusion clm:one --receipt >"$T/r1-plain"
al 1 verify-receipt --policy "$T/policy" "$T/r1-plain" --leaf "$T/leaf1"

# Bad input: another log's key (1), a directory holding a normal ledger (2: a wrong argument).
al 1 mirror --url "$T/tiles" --vkey "$T/keys/admin.key.pub" "$T/mir2"
[ ! -e "$T/mir2/data.mdb" ] || fail "a refused first run left a store"
al 2 mirror --url "$T/tiles" --vkey "$VK" "$T/ledger"
err_has "holds a ledger that is not a mirror"
al 2 mirror --url "ftp://x/y" --vkey "$VK" "$T/mir"
al 2 mirror --vkey "$VK" "$T/mir"

# Every new entry is judged by replay.c before it is appended: a bundle
# whose last entry carries a broken signature (its last byte flipped) is
# refused naming the entry, and no mirror is created.
cp -r "$T/tiles" "$T/badtiles"
n=$(sed -n 2p "$T/tiles/checkpoint")
python3 - "$T/badtiles/tile/entries/000.p/$n" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[-1] ^= 1
open(sys.argv[1], "wb").write(bytes(b))
PY
al 1 mirror --url "$T/badtiles" --vkey "$VK" "$T/badmir"
err_has "entry $((n - 1)) ("
err_has "): signature 0 does not verify"
[ ! -e "$T/badmir/data.mdb" ] || fail "a refused first run left a store"
done_ok
