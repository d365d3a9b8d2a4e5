# Keys and secrets: new secret keys use Argon2id at libsodium's MODERATE
# limits or above and mode 0600; key files open to group or others are
# refused; no command prints a secret (the sealed seed of a key file, a
# passphrase), even when handed a secret key where something else belongs;
# passphrases typed at a terminal must match twice.
. "$(dirname "$0")/lib.sh"
CLAIM_ACTOR= CLAIM_INCIDENT=  # claims here name no actor or incident records

u64_at() { # u64_at FILE OFFSET: big-endian u64 from the key file's blob
  sed -n 2p "$1" | base64 -d | od -An -tu1 -j "$2" -N 8 |
    awk '{v = 0; for (i = 1; i <= NF; i++) v = v * 256 + $i; printf "%.0f\n", v}'
}

printf 'correct horse battery staple\n' >"$T/pass"
al 0 key generate --name p:enc --out "$T/enc.key" --passphrase-file "$T/pass"
[ "$(stat -c %a "$T/enc.key")" = 600 ] || fail "secret key mode is not 0600"
[ "$(sed -n 2p "$T/enc.key" | base64 -d | od -An -tu1 -j 2 -N 1 | tr -d ' ')" = 1 ] ||
  fail "kdf is not Argon2id"
[ "$(u64_at "$T/enc.key" 19)" -ge 3 ] || fail "Argon2id opslimit below MODERATE (3)"
[ "$(u64_at "$T/enc.key" 27)" -ge 268435456 ] || fail "Argon2id memlimit below MODERATE (256 MiB)"
checks=$((checks + 4))
for f in "$T/out" "$T/err"; do
  ! grep -qF "correct horse" "$f" || fail "the passphrase was printed"
done

# Group or others may not read, write or execute a secret key.
al 0 key generate --name p:plain --out "$T/plain.key" --no-passphrase
claim_json clm:s p:plain "$T/c.json"
for mode in 640 604 620 602 610 601 660 644; do
  chmod "$mode" "$T/plain.key"
  al 3 sign "$T/c.json" --key "$T/plain.key" -o "$T/signed.json"
  err_one_line
  err_has "accessible by group or others"
  err_has "chmod 600"
  [ ! -e "$T/signed.json" ] || fail "signed with a key of mode $mode"
done
for mode in 600 400; do
  chmod "$mode" "$T/plain.key"
  al 0 sign "$T/c.json" --key "$T/plain.key" -o "$T/signed.json"
  rm -f "$T/signed.json"
done
chmod 600 "$T/plain.key"

# No output ever contains the secret: the key file's second line (for an
# unencrypted key, the sealed seed is as good as the seed) or pieces of it.
secret=$(sed -n 2p "$T/plain.key")
pieces=("${secret:0:16}" "${secret:40:16}" "${secret:100:16}" "${secret: -20:16}")
no_secret() {
  local p
  for p in "${pieces[@]}"; do
    ! grep -qF -- "$p" "$T/out" "$T/err" || fail "a piece of the secret key was printed: $*"
  done
  checks=$((checks + 1))
}
new_ledger
member p:cert MEMBER
cp "$T/plain.key" "$T/as-record.json"
chmod 600 "$T/as-record.json"
for args in "submit $T/as-record.json" "submit $T/as-record.json --key $T/plain.key" \
  "sign $T/as-record.json --key $T/plain.key" "verify --checkpoint $T/plain.key" \
  "verify --vkey $T/plain.key" "key show $T/plain.key" \
  "verify-receipt --vkey $T/ledger/log.vkey $T/plain.key --leaf $T/plain.key" \
  "init $T/l2 --origin x.example --admin $T/plain.key --no-passphrase"; do
  # shellcheck disable=SC2086
  expect_fail=0
  "$AL" $args >"$T/out" 2>"$T/err" || expect_fail=$?
  [ "$expect_fail" -ne 0 ] || fail "accepted a secret key file: $args"
  err_one_line
  no_secret "$args"
done
# Normal use of the key prints no secret either.
al 0 sign "$T/c.json" --key "$T/plain.key" --json -o "$T/s.json"
no_secret "sign"
al 0 --json key show "$T/plain.key.pub"
no_secret "key show"

# A passphrase typed at a terminal, twice; a mismatch is refused.
if command -v python3 >/dev/null; then
  tty_gen() { # tty_gen FIRST SECOND OUT: key generate with a pseudo-terminal
    python3 - "$AL" "$1" "$2" "$3" <<'PY'
import os, pty, sys, termios, time
al, first, second, out = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    os.execv(al, [al, "key", "generate", "--name", "p:tty", "--out", out])
buf = b""
for answer in (first, second):
    while b"assphrase" not in buf:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            chunk = b""
        if not chunk:
            break
        buf += chunk
    buf = b""
    # Type only once echo is off: the tool turns it off with TCSAFLUSH,
    # which discards anything typed before.
    for _ in range(3000):
        if not termios.tcgetattr(fd)[3] & termios.ECHO:
            break
        time.sleep(0.01)
    os.write(fd, answer.encode() + b"\n")
rest = b""
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    rest += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write(rest.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
PY
  }
  expect 2 tty_gen "one passphrase" "another one" "$T/tty1.key"
  out_has "the passphrases do not match"
  [ ! -e "$T/tty1.key" ] || fail "wrote a key after mismatched passphrases"
  expect 0 tty_gen "same passphrase" "same passphrase" "$T/tty2.key"
  ! grep -qF "same passphrase" "$T/out" || fail "the passphrase was echoed"
  [ "$(stat -c %a "$T/tty2.key")" = 600 ] || fail "tty key mode"
  checks=$((checks + 2))
fi
done_ok
