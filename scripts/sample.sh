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

# Generate the admin's and every participant's key.
sample_keys() {
  mkdir -p "$SAMPLE_DIR/keys" "$SAMPLE_DIR/work/signed" "$SAMPLE_DIR/work/receipts"
  sample_ensure_key p:ledger-admin
  local f id
  for f in "$SAMPLES"/*.json; do
    id=$(jq -r '.participant.participant_id // empty' "$f")
    if [ -n "$id" ]; then sample_ensure_key "$id"; fi
  done
}

# Create the ledger with p:ledger-admin as the genesis admin.
sample_init() {
  "$AL" init "$ATTRLEDGER_DIR" --origin demo.attrledger.example/ledger \
    --admin "$(sample_keyfile p:ledger-admin).pub" --no-passphrase 2>/dev/null
}

# Sign one sample file for its author (plus, for a registration, the new
# member's own key) into $2.
sample_sign() {
  local f=$1 out=$2 author tmp pid pk fnd digest
  author=$(jq -r '.header.author' "$f")
  tmp="$SAMPLE_DIR/work/$(basename "$f")"
  local args=(--key "$(sample_keyfile "$author")")
  pid=$(jq -r '.participant.participant_id // empty' "$f")
  if [ -n "$pid" ]; then
    pk=$("$AL" key show --json "$(sample_keyfile "$pid").pub" | jq -r .public_key)
    sed "s#@PUBKEY:$pid@#$pk#" "$f" >"$tmp"
    args+=(--key "$(sample_keyfile "$pid")")
  elif jq -e '.panel_vote' "$f" >/dev/null; then
    fnd=$(jq -r '.panel_vote.finding_ref' "$f")
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
  local f out
  for f in "$SAMPLES"/*.json; do
    jq -e '.participant' "$f" >/dev/null || continue
    out="$SAMPLE_DIR/work/signed/$(basename "$f")"
    sample_sign "$f" "$out"
    SAMPLE_BATCH+=("$out")
  done
  sample_flush
}

# Submit every other record in file order, in batches; a vote waits until
# its finding is in the ledger (its digest is read back from the ledger).
sample_submit_rest() {
  local f out
  for f in "$SAMPLES"/*.json; do
    jq -e '.participant' "$f" >/dev/null && continue
    out="$SAMPLE_DIR/work/signed/$(basename "$f")"
    if jq -e '.panel_vote' "$f" >/dev/null; then sample_flush; fi
    sample_sign "$f" "$out"
    SAMPLE_BATCH+=("$out")
  done
  sample_flush
}
