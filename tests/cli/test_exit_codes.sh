# Exit 1 ("checked: the answer is no") versus 3 ("could not check") is
# decided in one place (cli/output.c cli_exit_code) and is the same for
# every command that checks an input: verify-receipt, verify-fork, audit
# (a trail, tiles) and witness cosign. For each of them: a signature that
# does not verify -> 1, a malformed input -> 1, an input that cannot be
# read (a directory) -> 3, and with --json the failure object names the
# same kind.
. "$(dirname "$0")/lib.sh"

CLAIM_ACTOR=
new_ledger
member p:cert MEMBER
VK="$T/ledger/log.vkey"
incident_json inc:test p:cert "$T/inc.json"
"$AL" -q sign "$T/inc.json" --key "$(keyof p:cert)" -o "$T/inc.s.json"
"$AL" -q submit "$T/inc.s.json" --out-dir "$T/r" >/dev/null
"$AL" checkpoint >"$T/cp"
"$AL" -q export --format audit -o "$T/trail.jsonl"
"$AL" -q export --format tiles -o "$T/tiles"
"$AL" -q witness init --name witness.test/w1 --out "$T/w1.key" --no-passphrase >/dev/null
W="--key $T/w1.key --state $T/w1.state --log-vkey $VK"

# The inputs: good ones edited so that a signature no longer verifies, one
# malformed file, and a directory where a file belongs.
# (another first character of the checkpoint's root: A, or B when it is A)
sed '3{s/^A/#/;s/^[^#]/A/;s/^#/B/}' "$T/cp" >"$T/cp-edited"
last=$(ls "$T/r"/entry-*.tlog-proof | sort -V | tail -1)
leaf=${last%.tlog-proof}.leaf
# A character in the middle of the log's signature changed: it fails.
python3 - "$last" "$T/receipt-edited" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
i = max(k for k, l in enumerate(lines) if l.startswith("\u2014 "))
sig = lines[i].rsplit(" ", 1)
mid = len(sig[1]) // 2
sig[1] = sig[1][:mid] + ("B" if sig[1][mid] == "A" else "A") + sig[1][mid + 1:]
lines[i] = " ".join(sig)
open(sys.argv[2], "w").write("\n".join(lines))
PY
cmp -s "$last" "$T/receipt-edited" && fail "the receipt edit changed nothing"
# The trail's checkpoint with a character of its signature changed.
python3 - "$T/trail.jsonl" "$T/trail-edited.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().split("\n")
head = json.loads(lines[0])
note = head["checkpoint"].split("\n")
i = max(k for k, l in enumerate(note) if l.startswith("\u2014 "))
mid = len(note[i]) - 20
note[i] = note[i][:mid] + ("B" if note[i][mid] == "A" else "A") + note[i][mid + 1:]
head["checkpoint"] = "\n".join(note)
lines[0] = json.dumps(head, separators=(",", ":"), ensure_ascii=False)
open(sys.argv[2], "w").write("\n".join(lines))
PY
printf 'this is not any of the formats\n' >"$T/garbage"
mkdir "$T/dir"

# verify-receipt
al 0 verify-receipt --vkey "$VK" "$last" --leaf "$leaf"
al 1 verify-receipt --vkey "$VK" "$T/receipt-edited" --leaf "$leaf"
al 1 verify-receipt --vkey "$VK" "$T/garbage" --leaf "$leaf"
al 3 verify-receipt --vkey "$VK" "$T/dir" --leaf "$leaf"

# audit of a trail
al 0 audit --vkey "$VK" "$T/trail.jsonl"
cmp -s "$T/trail.jsonl" "$T/trail-edited.jsonl" && fail "the trail edit changed nothing"
al 1 audit --vkey "$VK" "$T/trail-edited.jsonl"
al 1 audit --vkey "$VK" "$T/garbage"
al 3 audit --vkey "$VK" "$T/dir"

# audit of tiles whose checkpoint does not verify or does not parse
al 0 audit --vkey "$VK" --tiles "$T/tiles"
cp "$T/cp-edited" "$T/tiles/checkpoint"
al 1 audit --vkey "$VK" --tiles "$T/tiles"
cp "$T/garbage" "$T/tiles/checkpoint"
al 1 audit --vkey "$VK" --tiles "$T/tiles"

# witness cosign (a malformed checkpoint exited 3 before cli_exit_code)
al 1 witness cosign $W "$T/cp-edited"
al 1 witness cosign $W "$T/garbage"
err_one_line
al 3 witness cosign $W "$T/dir"
al 0 witness cosign $W "$T/cp"

# verify-fork (a malformed report exited 3 before cli_exit_code)
al 1 verify-fork "$T/garbage" --vkey "$VK"
err_one_line
al 3 verify-fork "$T/dir" --vkey "$VK"

# The same verdict as an object on stdout with --json, same kind for all.
for cmd in "verify-receipt --vkey $VK $T/garbage --leaf $leaf" "audit --vkey $VK $T/garbage" \
  "witness cosign $W $T/garbage" "verify-fork $T/garbage --vkey $VK"; do
  # shellcheck disable=SC2086
  al 1 --json $cmd
  out_has '{"ok":false,"error":{"exit_code":1,"kind":"negative",'
done
for cmd in "verify-receipt --vkey $VK $T/dir --leaf $leaf" "audit --vkey $VK $T/dir" \
  "witness cosign $W $T/dir" "verify-fork $T/dir --vkey $VK"; do
  # shellcheck disable=SC2086
  al 3 --json $cmd
  out_has '{"ok":false,"error":{"exit_code":3,"kind":"operational",'
done
done_ok
