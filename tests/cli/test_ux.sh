# Issue 16 (5, 7): progress lines on a terminal only; machine output and
# exit codes.
. "$(dirname "$0")/lib.sh"

new_ledger
member p:alpha MEMBER
seed p:alpha
for i in 1 2 3; do claim_json "clm:$i" p:alpha "$T/c$i.json"; done
al 0 submit --key "$(keyof p:alpha)" "$T/c1.json" "$T/c2.json" "$T/c3.json"

# ---- progress ----
if command -v python3 >/dev/null; then
  # On a terminal: done, rate and time, in place (carriage return), then erased.
  on_tty 0 "$AL" verify
  grep -q '^ok: 7 entries' "$T/out" || fail "verify result on stdout"
  grep -qaF 'verify: 7 / 7 entries (100%), ' "$T/err" || fail "no verify progress on a tty"
  grep -qaF ' entries/s' "$T/err" || fail "no rate in the progress line"
  grep -qa $'\r' "$T/err" || fail "progress is not redrawn in place"
  grep -qa $'\e\\[2m' "$T/err" || fail "progress not dimmed without NO_COLOR"
  checks=$((checks + 4))
  # NO_COLOR: the same line without any escape sequence.
  on_tty 0 env NO_COLOR=1 "$AL" verify
  grep -qaF 'verify: 7 / 7 entries' "$T/err" || fail "no progress with NO_COLOR"
  ! grep -qa $'\e' "$T/err" || fail "escape sequence despite NO_COLOR"
  # --quiet: nothing at all.
  on_tty 0 "$AL" -q verify
  [ ! -s "$T/err" ] || fail "progress despite --quiet"
  for f in audit csv dot stix; do
    on_tty 0 "$AL" export --format $f -o "$T/x.$f"
    grep -qaF 'export: 7 / 7 entries' "$T/err" || fail "no export progress ($f)"
  done
  "$AL" -q export -o "$T/trail.jsonl"
  on_tty 0 "$AL" audit --vkey "$T/ledger/log.vkey" "$T/trail.jsonl"
  grep -qaE 'audit: [0-9]+ / [0-9]+ bytes \(100%\)' "$T/err" || fail "no audit progress"
  for i in 4 5; do claim_json "clm:$i" p:alpha "$T/c$i.json"; done
  on_tty 0 "$AL" submit --key "$(keyof p:alpha)" "$T/c4.json" "$T/c5.json"
  grep -qaF 'submit: reading: 2 / 2 records (100%)' "$T/err" || fail "no submit progress"
  checks=$((checks + 8))
else
  echo "SKIP: progress checks need python3 (a pseudo-terminal)"
fi
# Through a pipe or a file: no progress, only the one summary line.
al 0 verify
[ ! -s "$T/err" ] || fail "verify wrote to a non-terminal stderr"
al 0 export --format csv -o "$T/x.csv"
[ "$(wc -l <"$T/err")" = 1 ] || fail "export progress on a non-terminal stderr"
! grep -q 'entries/s' "$T/err" || fail "export progress on a non-terminal stderr"
checks=$((checks + 2))

# ---- machine output and exit codes ----
# one_json: the last stdout is exactly one line of compact JSON.
one_json() {
  [ "$(wc -l <"$T/out")" = 1 ] || fail "--json output is not one line"
  [ "$(tail -c 1 "$T/out" | od -An -c | tr -d ' ')" = '\n' ] || fail "no final newline"
  ! grep -q '": ' "$T/out" || fail "--json output is not compact"
  checks=$((checks + 1))
}
al 0 --json verify
one_json
out_has '{"valid":true,"entries":9,'
al 0 show clm:1 --json
one_json
al 0 --json prove inclusion clm:1
one_json
al 0 --json stats
one_json
al 0 --json incident inc:test
one_json
al 0 --json key show "$(keyof p:alpha).pub"
one_json
claim_json clm:6 p:alpha "$T/c6.json"
al 0 --json submit --key "$(keyof p:alpha)" "$T/c6.json"
one_json
out_has '"record_id":"clm:6"'

# A failure with --json: the same message as an object on stdout, same exit code.
al 1 --json show clm:nope
one_json
out_has '{"ok":false,"error":{"exit_code":1,"kind":"negative","command":"show","message":'
err_one_line
al 2 --json export --format nope
out_has '"exit_code":2,"kind":"usage"'
# Without --json, nothing on stdout.
al 1 show clm:nope
[ ! -s "$T/out" ] || fail "error printed on stdout without --json"
checks=$((checks + 1))

# A record that does not exist is an answer (1), not an operational error (3).
al 1 show clm:nope
al 1 show 99999
al 1 incident inc:nope
al 1 actor act:nope
al 1 participant p:nope
# A malformed input file is a usage error (2); nothing is written.
before=$(data_sum)
printf '{"header": ' >"$T/bad.json"
al 2 submit --key "$(keyof p:alpha)" "$T/bad.json"
err_has "$T/bad.json: "
[ "$(data_sum)" = "$before" ] || fail "a malformed file changed the ledger"
checks=$((checks + 1))

# --version: program, formats, libraries; --json as one object.
al 0 --version
out_has "attrledger 0.1.0"
out_has "formats: log entry 1, audit trail 1"
grep -qE '^libraries: libsodium [0-9.]+, LMDB [0-9.]+, protobuf-c [0-9.]+, jansson [0-9.]+, libcurl ' \
  "$T/out" || fail "--version lacks the library versions"
al 0 --version --json
one_json
grep -qE '^\{"program":"attrledger","version":"0\.1\.0","formats":\{"entry":1,"audit_trail":1\},"libraries":\{"libsodium":"[0-9.]+","lmdb":"[0-9.]+","protobuf-c":"[0-9.]+","jansson":"[0-9.]+","libcurl":("[0-9.]+"|null)\}\}$' \
  "$T/out" || fail "--version --json"
checks=$((checks + 2))

# help help, and CMD --help after global options.
al 0 help help
out_has "usage: attrledger help [CMD]"
al 0 help
out_has "  help             help for one command"
al 0 -C "$T/ledger" --json verify --help
out_has "usage: attrledger verify"
al 0 -q export --help
out_has "usage: attrledger export"
al 2 help nope

# key generate refuses an existing --out before asking for a passphrase
# (stdin is not a terminal here: asking would fail differently).
al 3 key generate --name p:alpha --out "$(keyof p:alpha)" </dev/null
err_has "already exists (use --force to replace it)"
! grep -q -i passphrase "$T/err" || fail "asked for a passphrase first"
checks=$((checks + 1))

# submit reads and checks the whole batch before it asks for the log key's
# passphrase: with an encrypted log.key and no passphrase at hand, a bad
# file is reported as such (2), not as a missing passphrase.
printf 'log pass\n' >"$T/logpass"
"$AL" -q init "$T/enc-ledger" --origin enc.example/l --admin "$T/keys/admin.key.pub" \
  --passphrase-file "$T/logpass" >/dev/null 2>&1
al 2 -C "$T/enc-ledger" submit "$T/bad.json" </dev/null
err_has "$T/bad.json: "
! grep -qi passphrase "$T/err" || fail "submit asked about the passphrase before checking the batch"
al 2 -C "$T/enc-ledger" submit "$T/c6.json" </dev/null
err_has "record is not signed"
# The log key's passphrase: --log-passphrase-file, else the global one.
"$AL" -q sign "$T/c6.json" --key "$(keyof p:alpha)" -o "$T/c6.s.json"
al 2 -C "$T/enc-ledger" submit "$T/c6.s.json" </dev/null
err_has "passphrase"
al 1 -C "$T/enc-ledger" --passphrase-file "$T/logpass" submit "$T/c6.s.json"
err_has "record clm:6: signature 0 is by unknown key"
al 1 -C "$T/enc-ledger" submit --log-passphrase-file "$T/logpass" "$T/c6.s.json"

# export --format svg without -o: the SVG on stdout.
if command -v dot >/dev/null; then
  al 0 -q export --format svg
  grep -q '^<svg' "$T/out" || fail "export --format svg wrote no SVG to stdout"
  checks=$((checks + 1))
else
  echo "SKIP: export --format svg to stdout needs Graphviz's dot"
fi

done_ok
