# Hand-written bad inputs (tests/bad-input/<command>/*) driven through the
# CLI. MANIFEST lists every file with the exit code it must give and what is
# wrong with it. For every input: that exit code (never 0), stderr is one
# line starting with "attrledger: ", nothing is written, and the ledger's
# data.mdb is byte-identical afterwards. A few inputs that are large, need
# this run's keys, or are odd file names are generated here (section 2).
#
# Directories and the command each file is given to:
#   submit-record/       attrledger submit FILE --key MEMBER.key
#   submit-envelope/     attrledger submit FILE
#   verify-receipt/      attrledger verify-receipt --vkey log.vkey FILE --leaf GOOD.leaf
#   verify-checkpoint/   attrledger verify --checkpoint FILE
#   key-show/            attrledger key show FILE
#   sign-keyfile/        attrledger sign GOOD.json --key FILE (copied, mode 0600)
. "$(dirname "$0")/../cli/lib.sh"
CLAIM_ACTOR= CLAIM_INCIDENT=  # claims here name no actor or incident records

DIR=$(cd "$(dirname "$0")" && pwd)
new_ledger
member p:cert MEMBER
claim_json clm:good p:cert "$T/good.json"
"$AL" -q submit "$T/good.json" --key "$(keyof p:cert)" --out-dir "$T" >/dev/null
GOODLEAF="$T/entry-2.leaf"
before=$(data_sum)

run() { # run DIR FILE: the command for one input
  local d=$1 f=$2
  case "$d" in
  submit-record) "$AL" submit "$f" --key "$(keyof p:cert)" ;;
  submit-envelope) "$AL" submit "$f" ;;
  verify-receipt) "$AL" verify-receipt --vkey "$T/ledger/log.vkey" "$f" --leaf "$GOODLEAF" ;;
  verify-checkpoint) "$AL" verify --checkpoint "$f" ;;
  key-show) "$AL" key show "$f" ;;
  sign-keyfile)
    cp "$f" "$T/k.key"
    chmod 600 "$T/k.key"
    "$AL" sign "$T/good.json" --key "$T/k.key" -o "$T/signed-out.json"
    ;;
  *) fail "MANIFEST: unknown directory $d" ;;
  esac
}

# bad INPUT-LABEL WANT CMD...: exit WANT, one line, nothing written.
bad() {
  local label=$1 want=$2 got=0
  shift 2
  "$@" >"$T/out" 2>"$T/err" || got=$?
  [ "$want" != 0 ] || fail "$label: MANIFEST expects exit 0"
  [ "$got" = "$want" ] || fail "$label: exit $got, want $want"
  err_one_line
  [ ! -s "$T/out" ] || fail "$label: wrote to stdout"
  [ ! -e "$T/signed-out.json" ] || fail "$label: wrote an output file"
  [ "$(data_sum)" = "$before" ] || fail "$label: data.mdb changed"
  checks=$((checks + 3))
}

# 1. Every file in MANIFEST, and every file is in MANIFEST.
n=0
while IFS='|' read -r file want what; do
  file=$(echo "$file" | tr -d ' ')
  want=$(echo "$want" | tr -d ' ')
  case "$file" in '' | '#'*) continue ;; esac
  [ -f "$DIR/$file" ] || fail "MANIFEST names a missing file $file"
  bad "$file ($what)" "$want" run "${file%%/*}" "$DIR/$file"
  n=$((n + 1))
done <"$DIR/MANIFEST"
listed=$(grep -c '^[a-z]' "$DIR/MANIFEST")
files=$(cd "$DIR" && find . -mindepth 2 -type f | wc -l)
[ "$listed" -eq "$files" ] || fail "MANIFEST lists $listed files, the directories hold $files"

# 2. Generated inputs.
# A record of more than 65,535 bytes; JSON of more than 4 MiB.
big=$(head -c 66000 /dev/zero | tr '\0' 'x')
sed "s/Test claim clm:big./$big/" <(claim_json clm:big p:cert /dev/stdout) >"$T/big-record.json"
bad "record over 65,535 bytes" 2 "$AL" submit "$T/big-record.json" --key "$(keyof p:cert)"
err_has "65535"
{ printf '{"header": {"record_id": "'; head -c $((4 * 1024 * 1024 + 1)) /dev/zero | tr '\0' 'a'; printf '"}}'; } >"$T/huge.json"
bad "JSON over 4 MiB" 3 "$AL" submit "$T/huge.json" --key "$(keyof p:cert)"
# A 65,536-byte leaf (one past the largest) for a real receipt.
head -c 65536 /dev/zero >"$T/leaf-65536"
bad "65,536-byte leaf" 3 "$AL" verify-receipt --vkey "$T/ledger/log.vkey" "$T/entry-2.tlog-proof" \
  --leaf "$T/leaf-65536"
# A real receipt with the wrong leaf, another log's key, a flipped proof.
bad "receipt for another leaf" 1 "$AL" verify-receipt --vkey "$T/ledger/log.vkey" \
  "$T/entry-2.tlog-proof" --leaf "$T/ledger/log.vkey"
"$AL" -q key generate --name test.example/ledger --out "$T/imp.key" --no-passphrase >/dev/null 2>&1
bad "receipt checked with an impostor key of the same name" 1 "$AL" verify-receipt \
  --vkey "$T/imp.key.pub" "$T/entry-2.tlog-proof" --leaf "$GOODLEAF"
# A checkpoint over 1 MiB.
{ "$AL" checkpoint; head -c $((1024 * 1024)) /dev/zero | tr '\0' 'a'; } >"$T/cp-huge"
bad "checkpoint over 1 MiB" 3 "$AL" verify --checkpoint "$T/cp-huge"
# A checkpoint signed by another key of the same name (a forger's).
"$AL" init "$T/forger" --origin test.example/ledger --no-passphrase >/dev/null 2>&1
ATTRLEDGER_DIR="$T/forger" "$AL" checkpoint >"$T/cp-forged"
bad "checkpoint signed by another key" 1 "$AL" verify --checkpoint "$T/cp-forged"
# Records signed by keys the ledger does not know, or by the wrong member.
"$AL" -q key generate --name p:cert --out "$T/impostor.key" --no-passphrase >/dev/null 2>&1
claim_json clm:imp p:cert "$T/imp.json"
bad "record signed by an unregistered key named like the author" 1 \
  "$AL" submit "$T/imp.json" --key "$T/impostor.key"
"$AL" -q sign "$T/imp.json" --key "$(keyof p:cert)" -o "$T/imp.signed.json"
# (A, or B when the first character already is A: the edit must change it)
sed -i 's/"signature": "A/"signature": "#/; s/"signature": "[^#]/"signature": "A/; s/"signature": "#/"signature": "B/' "$T/imp.signed.json"
bad "signature with its first byte changed" 1 "$AL" submit "$T/imp.signed.json"
rm -f "$T/signed-out.json"
# A secret key readable by others.
cp "$(keyof p:cert)" "$T/open.key"
chmod 644 "$T/open.key"
bad "secret key with mode 0644" 3 "$AL" sign "$T/good.json" --key "$T/open.key" -o "$T/signed-out.json"
err_has "chmod 600"
# Path tricks: a directory, a FIFO, a missing file, a symlink loop, a file
# name with a newline and one with terminal escapes, "..".
mkdir -p "$T/adir" && mkfifo "$T/afifo" && ln -s "$T/loop" "$T/loop"
for p in "$T/adir" "$T/afifo" "$T/missing.json" "$T/loop" "$T/../nonexistent/../x.json"; do
  bad "submit $p" 3 "$AL" submit "$p" --key "$(keyof p:cert)"
done
cp "$T/good.json" "$T/new
line.json"
printf '{' >"$T/esc$(printf '\033')[31m.json"
bad "key file name with a newline" 3 "$AL" submit "$T/good.json" --key "$T/new
line.json"
bad "file name with an escape sequence" 2 "$AL" submit "$T/esc$(printf '\033')[31m.json" \
  --key "$(keyof p:cert)"
bad "public key file name with a newline" 2 "$AL" key show "$T/new
line.json"
bad "empty file name" 3 "$AL" submit "" --key "$(keyof p:cert)"
echo "bad inputs: $n from MANIFEST, plus generated ones"
al 0 verify
done_ok
