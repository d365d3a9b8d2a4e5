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

done_ok
