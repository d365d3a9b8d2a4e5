# Loading the embedded sample data (examples/sample) into a ledger.
# Sourced by scripts/demo and by the sample-data tests; not run directly.
#
# Set before calling:  AL (attrledger binary), SAMPLE_DIR (a directory for
# keys/ and work/), SAMPLES (examples/sample). ATTRLEDGER_DIR names the
# ledger. Needs jq.
#
# Each participant's key is generated here (in real use, on the member's
# machine). Placeholders in the sample files are filled in before signing:
#   @PUBKEY:<participant_id>@  the participant's public key (base64)
#   @DIGEST:<finding_id>@      SHA-256 of the finding's record, from the ledger

sample_keyfile() { printf '%s/keys/%s.key' "$SAMPLE_DIR" "$(printf '%s' "$1" | tr ':/@' '---')"; }

sample_ensure_key() {
  local f
  f=$(sample_keyfile "$1")
  [ -f "$f" ] || "$AL" -q key generate --name "$1" --out "$f" --no-passphrase >/dev/null 2>&1
}

# One jq pass over the sample files (jq starts slowly, and a few calls per
# file made loading the sample take most of a minute): a line per file,
# in file order, with FILE, AUTHOR, PARTICIPANT_ID and FINDING_REF
# (the last two "-" when absent), tab-separated.
sample_manifest() {
  local m="$SAMPLE_DIR/work/manifest.tsv"
  mkdir -p "$SAMPLE_DIR/work"
  [ -s "$m" ] || jq -r '[input_filename, .header.author,
      (.participant.participant_id // "-"), (.panel_vote.finding_ref // "-")] | @tsv' \
    "$SAMPLES"/*.json >"$m"
  cat "$m"
}

# Generate the admin's and every participant's key.
sample_keys() {
  mkdir -p "$SAMPLE_DIR/keys" "$SAMPLE_DIR/work/signed" "$SAMPLE_DIR/work/receipts"
  sample_ensure_key p:ledger-admin
  local f author pid fnd
  while IFS=$'\t' read -r f author pid fnd; do
    if [ "$pid" != - ]; then sample_ensure_key "$pid"; fi
  done < <(sample_manifest)
}

# Create the ledger with p:ledger-admin as the genesis admin.
sample_init() {
  "$AL" init "$ATTRLEDGER_DIR" --origin demo.attrledger.example/ledger \
    --admin "$(sample_keyfile p:ledger-admin).pub" --no-passphrase 2>/dev/null
}

# sample_sign FILE OUT: sign one sample file for its author (plus, for a
# registration, the new member's own key) into OUT.
sample_sign() {
  local f=$1 out=$2 author pid fnd
  IFS=$'\t' read -r _ author pid fnd < <(sample_manifest | awk -F'\t' -v f="$f" '$1 == f')
  [ -n "$author" ] || { echo "sample_sign: $f is not a sample file" >&2; return 1; }
  sample_sign_as "$f" "$out" "$author" "$pid" "$fnd"
}

# sample_sign_as FILE OUT AUTHOR PARTICIPANT_ID FINDING_REF (from the manifest).
sample_sign_as() {
  local f=$1 out=$2 author=$3 pid=$4 fnd=$5 tmp pk digest
  tmp="$SAMPLE_DIR/work/$(basename "$f")"
  local args=(--key "$(sample_keyfile "$author")")
  if [ "$pid" != - ]; then
    pk=$("$AL" key show --json "$(sample_keyfile "$pid").pub" |
      sed 's/.*"public_key":"\([^"]*\)".*/\1/')
    sed "s#@PUBKEY:$pid@#$pk#" "$f" >"$tmp"
    args+=(--key "$(sample_keyfile "$pid")")
  elif [ "$fnd" != - ]; then
    digest=$("$AL" show "$fnd" --json | jq -r .record_digest)
    sed "s#@DIGEST:$fnd@#$digest#" "$f" >"$tmp"
  else
    cp "$f" "$tmp"
  fi
  "$AL" -q sign "$tmp" "${args[@]}" -o "$out"
}

SAMPLE_BATCH=()
SAMPLE_BATCHES=0
sample_flush() {
  [ ${#SAMPLE_BATCH[@]} -eq 0 ] && return 0
  "$AL" -q submit --out-dir "$SAMPLE_DIR/work/receipts" "${SAMPLE_BATCH[@]}" >/dev/null
  SAMPLE_BATCHES=$((SAMPLE_BATCHES + 1))
  SAMPLE_BATCH=()
}

# Register every participant in one batch (authored by the admin).
sample_register() {
  local f author pid fnd out
  while IFS=$'\t' read -r f author pid fnd; do
    [ "$pid" != - ] || continue
    out="$SAMPLE_DIR/work/signed/$(basename "$f")"
    sample_sign_as "$f" "$out" "$author" "$pid" "$fnd"
    SAMPLE_BATCH+=("$out")
  done < <(sample_manifest)
  sample_flush
}

# Submit every other record in file order, in batches; a vote waits until
# its finding is in the ledger (its digest is read back from the ledger).
sample_submit_rest() {
  local f author pid fnd out
  while IFS=$'\t' read -r f author pid fnd; do
    [ "$pid" = - ] || continue
    out="$SAMPLE_DIR/work/signed/$(basename "$f")"
    if [ "$fnd" != - ]; then sample_flush; fi
    sample_sign_as "$f" "$out" "$author" "$pid" "$fnd"
    SAMPLE_BATCH+=("$out")
  done < <(sample_manifest)
  sample_flush
}
