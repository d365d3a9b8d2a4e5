# Helpers for the CLI end-to-end tests. Each test script is run by ctest as
#   bash tests/cli/test_NAME.sh PATH/TO/attrledger
# with ATTRLEDGER_SOURCE_DIR and ATTRLEDGER_TAMPER in the environment.
# Every check compares exact exit codes and output; the first failure stops
# the script with a message naming the check.
set -euo pipefail

AL=${1:?usage: test_NAME.sh PATH/TO/attrledger}
AL=$(cd "$(dirname "$AL")" && pwd)/$(basename "$AL")
SRC=${ATTRLEDGER_SOURCE_DIR:?}
TAMPER=${ATTRLEDGER_TAMPER:-}
T=$(mktemp -d "${TMPDIR:-/tmp}/attrledger-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
unset ATTRLEDGER_DIR
export ATTRLEDGER_FAKE_TIME_MS=

checks=0
fail() {
  echo "FAIL: $*" >&2
  if [ -f "$T/err" ]; then echo "--- stderr:" >&2; cat "$T/err" >&2; fi
  if [ -f "$T/out" ]; then echo "--- stdout:" >&2; head -50 "$T/out" >&2; fi
  exit 1
}

# expect CODE CMD... : run CMD, capture stdout/stderr in $T/out, $T/err,
# and require exit code CODE.
expect() {
  local want=$1 got=0
  shift
  "$@" >"$T/out" 2>"$T/err" || got=$?
  [ "$got" = "$want" ] || fail "exit $got, want $want: $*"
  checks=$((checks + 1))
}
# al CODE ARGS... : expect for the attrledger binary.
al() {
  local want=$1
  shift
  expect "$want" "$AL" "$@"
}
out_has() { grep -qF -- "$1" "$T/out" || fail "stdout lacks \"$1\""; checks=$((checks + 1)); }
err_has() { grep -qF -- "$1" "$T/err" || fail "stderr lacks \"$1\""; checks=$((checks + 1)); }
out_is() { [ "$(cat "$T/out")" = "$1" ] || fail "stdout is \"$(cat "$T/out")\", want \"$1\""; checks=$((checks + 1)); }
err_one_line() {
  [ "$(wc -l <"$T/err")" -eq 1 ] || fail "stderr is not one line"
  grep -q '^attrledger: ' "$T/err" || fail "stderr does not start with attrledger:"
  checks=$((checks + 1))
}
same_file() { cmp -s "$1" "$2" || fail "$1 and $2 differ"; checks=$((checks + 1)); }

# A ledger with an admin in $T/ledger, keys in $T/keys.
new_ledger() {
  mkdir -p "$T/keys"
  "$AL" -q key generate --name p:admin --out "$T/keys/admin.key" --no-passphrase >/dev/null 2>&1
  "$AL" init "$T/ledger" --origin test.example/ledger --admin "$T/keys/admin.key.pub" \
    --no-passphrase >/dev/null 2>&1
  export ATTRLEDGER_DIR="$T/ledger"
}

# member ID ROLE...: generate a key and register a participant with roles.
member() {
  local id=$1
  shift
  local f roles="" r
  f="$T/keys/$(printf '%s' "$id" | tr ':/' '--').key"
  "$AL" -q key generate --name "$id" --out "$f" --no-passphrase >/dev/null 2>&1
  for r in "$@"; do roles="$roles\"PARTICIPANT_ROLE_$r\","; done
  local pk
  pk=$("$AL" key show --json "$f.pub" | sed 's/.*"public_key":"\([^"]*\)".*/\1/')
  cat >"$T/reg-$id.json" <<JSON
{"header": {"record_id": "reg:$id", "author": "p:admin", "created": "2024-01-01T00:00:00Z",
  "provenance": "PROVENANCE_FIRST_PARTY", "tlp": "TLP_CLEAR"},
 "participant": {"participant_id": "$id", "name": "$id", "roles": [${roles%,}],
  "public_keys": [{"alg": "SIGNATURE_ALG_ED25519", "public_key": "$pk"}]}}
JSON
  "$AL" -q sign "$T/reg-$id.json" --key "$T/keys/admin.key" --key "$f" -o "$T/reg-$id.signed.json"
  "$AL" -q submit "$T/reg-$id.signed.json" >/dev/null
}
keyof() { printf '%s/keys/%s.key' "$T" "$(printf '%s' "$1" | tr ':/' '--')"; }

# incident ID AUTHOR FILE: write an incident report record.
incident_json() {
  cat >"$3" <<JSON
{"header": {"record_id": "$1", "author": "$2", "created": "2017-05-12T00:00:00Z",
  "provenance": "PROVENANCE_FIRST_PARTY", "tlp": "TLP_CLEAR"},
 "incident_report": {"incident_key": "$1", "name": "Incident $1",
  "determination": "DETERMINATION_CONFIRMED", "incident_types": ["ransomware"]}}
JSON
}

actor_json() {
  cat >"$3" <<JSON
{"header": {"record_id": "$1", "author": "$2", "created": "2014-01-01T00:00:00Z",
  "provenance": "PROVENANCE_FIRST_PARTY", "tlp": "TLP_CLEAR"},
 "actor": {"actor_id": "$1", "name": "Actor $1", "actor_kind": "ACTOR_KIND_INTRUSION_SET"}}
JSON
}

# seed AUTHOR: submit act:test and inc:test, signed by AUTHOR (a MEMBER).
seed() {
  actor_json act:test "$1" "$T/seed-actor.json"
  incident_json inc:test "$1" "$T/seed-inc.json"
  "$AL" -q submit --key "$(keyof "$1")" "$T/seed-actor.json" "$T/seed-inc.json" >/dev/null
}

# claim_json ID AUTHOR FILE: a claim on incident $CLAIM_INCIDENT (default
# inc:test) naming actor $CLAIM_ACTOR (default act:test); both must exist
# (see seed). Set CLAIM_ACTOR= or CLAIM_INCIDENT= to name none.
claim_json() {
  local actor=${CLAIM_ACTOR-act:test} inc=${CLAIM_INCIDENT-inc:test} at="" refs=""
  [ -n "$actor" ] && at="\"attributed_to\": \"$actor\","
  [ -n "$inc" ] && refs="\"incident_refs\": [\"$inc\"],"
  cat >"$3" <<JSON
{"header": {"record_id": "$1", "author": "$2", "created": "2017-12-19T00:00:00Z",
  "provenance": "PROVENANCE_FIRST_PARTY", "tlp": "TLP_CLEAR"},
 "attribution_claim": {"claimant": "$2", $refs
  $at "assertion_type": "ASSERTION_TYPE_ATTRIBUTION",
  "level": "ATTRIBUTION_LEVEL_STRATEGIC",
  "confidence": {"stix_value": 85, "likelihood": {"scale": "LIKELIHOOD_SCALE_PHIA",
   "term": "highly likely", "range_min": 80, "range_max": 90}},
  "statement": "Test claim $1."}}
JSON
}

# on_tty CODE CMD...: expect for CMD run with stderr on a pseudo-terminal
# (stdin and stdout stay as they are: stdout goes to $T/out); what the
# terminal received goes to $T/err. Needs python3 (callers skip without).
on_tty() {
  local want=$1 got=0
  shift
  python3 - "$T/err" "$@" >"$T/out" <<'PY' || got=$?
import os, pty, sys
log, argv = sys.argv[1], sys.argv[2:]
master, slave = pty.openpty()
pid = os.fork()
if pid == 0:
    os.close(master)
    os.dup2(slave, 2)
    os.close(slave)
    os.execvp(argv[0], argv)
os.close(slave)
buf = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:  # EIO: the child closed the terminal
        break
    if not chunk:
        break
    buf += chunk
_, status = os.waitpid(pid, 0)
open(log, "wb").write(buf)
sys.exit(os.waitstatus_to_exitcode(status))
PY
  [ "$got" = "$want" ] || fail "exit $got, want $want on a terminal: $*"
  checks=$((checks + 1))
}

data_sum() { sha256sum "$T/ledger/data.mdb" | cut -d' ' -f1; }

done_ok() { echo "PASS: $checks checks"; }

# sample_ledger: the embedded sample (examples/sample) loaded with the demo's
# loader into $T/sample/ledger (ATTRLEDGER_DIR), integrated_time pinned.
sample_ledger() {
  export ATTRLEDGER_FAKE_TIME_MS=1700000000000
  export ATTRLEDGER_DIR="$T/sample/ledger"
  SAMPLE_DIR="$T/sample"
  SAMPLES="$SRC/examples/sample"
  mkdir -p "$SAMPLE_DIR"
  . "$SRC/scripts/sample.sh"
  sample_keys
  sample_init >/dev/null || fail "sample_init"
  sample_register || fail "sample_register"
  sample_submit_rest || fail "sample_submit_rest"
}
