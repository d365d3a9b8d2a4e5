/*
 * help.c - help text for `attrledger help [CMD]` and `CMD --help`.
 *
 * Each entry: a one-line summary for the command list, then the full text
 * with usage, options, exit codes where they differ, and an example.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

typedef struct {
    const char *name;
    const char *summary;
    const char *text;
} help_entry;

static const help_entry entries[] = {
    {"init", "create a ledger: store, log key, genesis entry",
     "usage: attrledger init DIR --origin ORIGIN [--admin KEYFILE.pub]... [--no-passphrase]\n"
     "\n"
     "Create a new ledger in DIR (created if missing; must not hold a ledger).\n"
     "Writes DIR/log.key (the log's secret signing key, mode 0600, encrypted\n"
     "with a passphrase unless --no-passphrase) and DIR/log.vkey (one line: the\n"
     "C2SP verifier key whose name is ORIGIN; publish it). Appends the genesis\n"
     "entry (index 0): a LedgerPolicy signed by the log key that registers each\n"
     "--admin key as an ADMIN participant whose id is the key's name.\n"
     "\n"
     "options:\n"
     "  --origin ORIGIN        checkpoint origin and log key name, e.g.\n"
     "                         ledger.example.org/attribution (no spaces or '+')\n"
     "  --admin FILE.pub       an admin's public key file (repeatable)\n"
     "  --panel-size N         default panel size of findings (default 5)\n"
     "  --approvals K          approvals needed of the N (default 4 of 5, or N)\n"
     "  --no-passphrase        store the log key unencrypted (tests, demos)\n"
     "  --passphrase-file F    read the new passphrase from the first line of F\n"
     "\n"
     "example:\n"
     "  attrledger key generate --name p:admin --out admin.key\n"
     "  attrledger init ./ledger --origin ledger.example.org/attribution \\\n"
     "      --admin admin.key.pub\n"},
    {"key", "generate keys and show public keys",
     "usage: attrledger key generate --name NAME --out FILE [--no-passphrase] [--force]\n"
     "       attrledger key show FILE.pub [--json]\n"
     "\n"
     "generate: create an Ed25519 key. FILE is the secret key (mode 0600, sealed\n"
     "with XChaCha20-Poly1305 under an Argon2id key from your passphrase);\n"
     "FILE.pub is the public key as one C2SP verifier-key line. NAME is your\n"
     "participant id (e.g. p:cert-ua). Existing files are never replaced\n"
     "without --force.\n"
     "\n"
     "show: print the key's name, its key id (hex SHA-256 of the public key,\n"
     "the id that record signatures carry) and the verifier key line. --json\n"
     "prints {name, key_id, public_key, vkey}.\n"
     "\n"
     "example:\n"
     "  attrledger key generate --name p:cert-ua --out cert-ua.key\n"
     "  attrledger key show cert-ua.key.pub\n"},
    {"sign", "sign a JSON record into an envelope",
     "usage: attrledger sign RECORD.json --key KEY [--key KEY2]... [-o OUT]\n"
     "\n"
     "Encode a JSON record (proto3 JSON, see docs/FORMATS.md) to canonical\n"
     "protobuf and sign it with each key (Ed25519 over \"attrledger/v1/record\\n\"\n"
     "|| record bytes). Writes the signed envelope {record, signatures} as JSON\n"
     "to OUT or stdout. RECORD.json may also be an envelope: the new signatures\n"
     "are added (co-signing). Members sign on their own machines; only the\n"
     "envelope travels to the ledger.\n"
     "\n"
     "example:\n"
     "  attrledger sign claim.json --key cert-ua.key -o claim.signed.json\n"},
    {"submit", "append signed records (one batch, one checkpoint)",
     "usage: attrledger submit -C DIR FILE... [--key KEY] [--out-dir D] [--json]\n"
     "\n"
     "Append records to the ledger. Each FILE is a signed envelope, or a JSON\n"
     "record signed on the fly with --key. All FILEs form one batch: one\n"
     "transaction and one new signed checkpoint; if any record is rejected,\n"
     "nothing is written. Resubmitting an identical record returns its\n"
     "existing entry and the very receipt its first submission printed (against\n"
     "the checkpoint of that batch). Prints one receipt per record (C2SP\n"
     "tlog-proof text; each\n"
     "starts with the line c2sp.org/tlog-proof@v1). --json prints\n"
     "{checkpoint, entries: [{index, record_id, leaf_hash, existed, receipt}]}.\n"
     "\n"
     "options:\n"
     "  --key KEY              sign records with this key before submitting\n"
     "  --out-dir D            also write D/entry-N.tlog-proof and D/entry-N.leaf;\n"
     "                         D must exist and be writable (checked before the\n"
     "                         batch is committed)\n"
     "  --log-passphrase-file F  passphrase of DIR/log.key, if it is encrypted\n"
     "                         (default: the global --passphrase-file)\n"
     "\n"
     "Every FILE is read, parsed, signed (--key) and checked to carry a signature\n"
     "before the log key's passphrase is asked for; the rules are checked when\n"
     "the batch is appended. On a terminal, a progress line counts the files read.\n"
     "\n"
     "exit: 1 when a record is rejected (bad signature, unknown key, policy);\n"
     "2 when a FILE does not parse as a record or signed envelope\n"
     "\n"
     "example:\n"
     "  attrledger submit -C ./ledger claim.signed.json incident.signed.json\n"},
    {"show", "show one entry",
     "usage: attrledger show -C DIR INDEX|RECORD_ID [--json] [--leaf-out FILE]\n"
     "\n"
     "Decode an entry. --json prints {index, integrated_time, leaf (base64 of the\n"
     "exact leaf bytes), leaf_hash, record_digest, record (proto3 JSON),\n"
     "signatures}. --leaf-out writes the raw leaf bytes (for verify-receipt).\n"
     "\n"
     "example:\n"
     "  attrledger show -C ./ledger clm:wannacry-uk --json\n"},
    {"log", "list entries",
     "usage: attrledger log -C DIR [--type T] [--author ID] [--from N] [--json]\n"
     "\n"
     "One line per entry: index, integrated time, type, record_id, author.\n"
     "--json prints one JSON object per line. T is a body name such as\n"
     "attribution_claim, incident_report, participant, panel_vote.\n"
     "\n"
     "example:\n"
     "  attrledger log -C ./ledger --type attribution_claim\n"},
    {"checkpoint", "print a signed checkpoint",
     "usage: attrledger checkpoint -C DIR [--size N] [--with-cosignatures]\n"
     "\n"
     "Print the latest signed checkpoint (C2SP signed note), or the one signed\n"
     "when the tree had N entries. Keep a copy: `verify --checkpoint` uses it to\n"
     "prove the ledger was not rolled back or forked since. With\n"
     "--with-cosignatures, the witness cosignatures stored by `cosign add` are\n"
     "appended as extra signature lines (verifiers that do not know a witness\n"
     "ignore its line).\n"
     "\n"
     "example:\n"
     "  attrledger checkpoint -C ./ledger > checkpoint-today.txt\n"
     "  attrledger checkpoint -C ./ledger --with-cosignatures\n"},
    {"prove", "inclusion and consistency proofs",
     "usage: attrledger prove inclusion -C DIR INDEX|RECORD_ID [--size N] [--json]\n"
     "                  [--receipt [--with-cosignatures]]\n"
     "       attrledger prove consistency -C DIR OLD [NEW] [--json]\n"
     "       attrledger prove inclusion --url URL --vkey LOG.vkey INDEX|RECORD_ID [--size N]\n"
     "       attrledger prove consistency --url URL --vkey LOG.vkey OLD [NEW]\n"
     "\n"
     "inclusion: the RFC 9162 audit path of an entry in the tree of N entries\n"
     "(default: the current size). consistency: the RFC 9162 proof that the\n"
     "tree of OLD entries is a prefix of the tree of NEW entries (default: the\n"
     "current size). Proofs are checked before they are printed. --json:\n"
     "inclusion {tree_size, leaf_index, leaf_hash, root, hashes};\n"
     "consistency {old_size, new_size, old_root, new_root, hashes}.\n"
     "--receipt prints a C2SP tlog-proof receipt instead (for verify-receipt);\n"
     "--with-cosignatures puts the stored witness cosignatures in its checkpoint.\n"
     "The JSON of a consistency proof is what `witness cosign --proof` takes.\n"
     "--url reads the proof from `attrledger serve` (or anything serving its\n"
     "routes) and prints it only after checking it against the pinned --vkey:\n"
     "the latest checkpoint's signature, the proof, and that its root is the\n"
     "signed root or (for a smaller size) consistent with it, through a\n"
     "consistency proof also fetched and checked. A proof that fails: exit 1.\n"
     "\n"
     "example:\n"
     "  attrledger prove inclusion -C ./ledger clm:notpetya-uk --json\n"
     "  attrledger prove inclusion --url https://log.example --vkey log.vkey 7 --size 9\n"
     "  attrledger prove inclusion -C ./ledger 7 --receipt --with-cosignatures > r.tlog-proof\n"
     "  attrledger prove consistency -C ./ledger 5 12\n"},
    {"verify", "audit the whole ledger",
     "usage: attrledger verify -C DIR [--checkpoint FILE] [--vkey FILE]\n"
     "\n"
     "Check everything: every entry's encoding, index and time, every signature\n"
     "and policy rule (replaying the key registry from genesis), every stored\n"
     "Merkle hash and checkpoint, and every index table. The trusted log key is\n"
     "DIR/log.vkey unless --vkey names another copy (use your own copy: a\n"
     "forger can replace files in DIR). --checkpoint FILE checks that the\n"
     "ledger still contains the tree that an older (or newer) saved checkpoint\n"
     "names, which catches rollbacks and forks.\n"
     "\n"
     "exit: 0 intact; 1 damaged or forged (stderr names the first bad index and\n"
     "what is wrong); 3 cannot read the ledger\n"
     "\n"
     "example:\n"
     "  attrledger verify -C ./ledger --vkey log.vkey --checkpoint checkpoint-today.txt\n"},
    {"verify-receipt", "check a receipt offline",
     "usage: attrledger verify-receipt (--vkey FILE | --policy FILE) RECEIPT\n"
     "                                --leaf LEAF_FILE [--json]\n"
     "\n"
     "Check a tlog-proof receipt without the ledger: the checkpoint is signed by\n"
     "the log key in FILE, and the leaf (its exact bytes, e.g. from\n"
     "`submit --out-dir` or `show --leaf-out`) is included at the receipt's index.\n"
     "Witness cosignatures in the receipt's checkpoint are ignored with --vkey.\n"
     "With --policy, FILE is a C2SP tlog-policy:\n"
     "  log <vkey> [url]                       the log's key\n"
     "  witness <name> <vkey> [url]            a witness key (from witness init)\n"
     "  group <name> <k|all|any> <member>...   k of these witnesses/groups\n"
     "  quorum <name|none>                     what must be satisfied\n"
     "and the checkpoint must also carry valid cosignatures meeting the quorum.\n"
     "\n"
     "exit: 0 valid; 1 invalid signature or proof, or quorum not met\n"
     "\n"
     "example:\n"
     "  attrledger verify-receipt --vkey log.vkey entry-7.tlog-proof --leaf entry-7.leaf\n"
     "  attrledger verify-receipt --policy trust.policy r.tlog-proof --leaf entry-7.leaf\n"},
    {"incident", "the case file of one incident",
     "usage: attrledger incident -C DIR KEY [--json]\n"
     "\n"
     "Everything the ledger holds on one incident (KEY: the record_id of any\n"
     "version of its report, or its incident_key): the latest report and its\n"
     "revisions; every attribution claim with claimant, actor, state, level,\n"
     "confidence words and STIX value, channel, evidence disclosure and status\n"
     "(ACTIVE, SUPERSEDED, RETRACTED); the opinions on each claim (endorsements,\n"
     "disputes, denials by the accused); the body's findings with their vote\n"
     "tally and whether they are published. Each line starts with its entry\n"
     "index, so it can be proved with `attrledger prove inclusion INDEX`.\n"
     "--json prints the same as one object (see docs/VIEWS.md).\n"
     "\n"
     "example:\n"
     "  attrledger incident -C ./ledger inc:wannacry-2017\n"},
    {"actor", "who attributed what to an actor",
     "usage: attrledger actor -C DIR ID [--json]\n"
     "\n"
     "An actor by record_id, name or alias (case-insensitive; a leading word such\n"
     "as \"Lazarus\" names \"Lazarus Group\"): its chain\n"
     "cluster -> organ -> state, and every claim and finding attributing an\n"
     "incident to it (as the actor or as the state behind it), by whom, with\n"
     "what confidence.\n"
     "\n"
     "example:\n"
     "  attrledger actor -C ./ledger \"Voodoo Bear\"\n"
     "  attrledger actor -C ./ledger lazarus --json\n"},
    {"participant", "a member's keys, roles and records",
     "usage: attrledger participant -C DIR ID [--json]\n"
     "\n"
     "A participant's registration, roles, keys (active or revoked, with the\n"
     "entries that added and revoked them) and every record it authored.\n"
     "\n"
     "example:\n"
     "  attrledger participant -C ./ledger p:uk-gov\n"},
    {"stats", "counts and open questions",
     "usage: attrledger stats -C DIR [--json]\n"
     "\n"
     "Records by type, superseded and retracted records, incidents with and\n"
     "without a finding, contested claims (disputed or denied), findings\n"
     "published.\n"
     "\n"
     "example:\n"
     "  attrledger stats -C ./ledger\n"},
    {"norms", "the norms register: instruments, norms, breach counts",
     "usage: attrledger norms -C DIR [--json]\n"
     "\n"
     "Every instrument (UN reports, bilateral agreements, communiques, industry\n"
     "pledges, multistakeholder calls) with its norms, and for each norm how many\n"
     "incidents live claims say breached it and how many the body's published\n"
     "findings conclude BREACHED.\n"
     "\n"
     "example:\n"
     "  attrledger norms -C ./ledger\n"},
    {"norm", "one norm: commitments, claimed breaches, denials, conclusions",
     "usage: attrledger norm -C DIR ID [--json]\n"
     "\n"
     "A norm (by norm_id or the record_id of any version): its instrument and the\n"
     "later texts that reaffirm it; who committed to it (to the norm or to the\n"
     "whole instrument), how and when; every claim that an incident breached it,\n"
     "by whom, explicit (the speaker named it) or mapped (the author's reading),\n"
     "with the denials and disputes of that claim; and the body's conclusions.\n"
     "\n"
     "example:\n"
     "  attrledger norm -C ./ledger ungge2015-13f\n"},
    {"state", "a state's norms record card",
     "usage: attrledger state -C DIR ACTOR [--json]\n"
     "\n"
     "A state's (or any actor's, named as for `attrledger actor`) commitments\n"
     "beside the claims and findings that attribute an incident to it and cite a\n"
     "norm; each norm is marked with whether the actor had committed to it.\n"
     "\n"
     "example:\n"
     "  attrledger state -C ./ledger act:china\n"},
    {"export", "export audit trails, tiles, a web site, STIX 2.1, CSV, Graphviz",
     "usage: attrledger export -C DIR [--format F] [--since I] [--until J]\n"
     "                        [--incident KEY] [--size N] [-o OUT]\n"
     "\n"
     "Publish what the ledger holds, proved against a signed checkpoint (the\n"
     "latest, or the one of --size N). Without -o (or with -o -) the output goes\n"
     "to stdout; a file is written under a temporary name and renamed when done.\n"
     "\n"
     "formats:\n"
     "  audit   (default) JSON Lines audit trail: a header line (format version,\n"
     "          origin, the log's verifier key, the signed checkpoint, the\n"
     "          selection), then one line per entry with its exact leaf bytes,\n"
     "          leaf hash, decoded record, signatures and inclusion proof. Also\n"
     "          carries genesis, every participant registration and key\n"
     "          revocation (needed to check signatures) and the records the\n"
     "          selection references. Check it with `attrledger audit`.\n"
     "  tiles   a C2SP tlog-tiles directory (-o DIR): checkpoint, tile/L/N,\n"
     "          tile/entries/N; files are replaced atomically, unchanged files\n"
     "          are left alone, so re-exporting after new entries is cheap and a\n"
     "          web server can serve DIR meanwhile. Always the whole log.\n"
     "  site    a static web site (-o DIR): index, one page per incident, actor,\n"
     "          participant and finding, each record's raw JSON and receipt,\n"
     "          and the tiles in the same tree. Every page checks its records\n"
     "          in the reader's browser (Verify button, or #verify in the URL)\n"
     "          against the log key shown on it. Incremental like tiles.\n"
     "  stix    a STIX 2.1 bundle: identities, threat actors and intrusion sets,\n"
     "          incidents (Incident Core) with impacts, victims, malware,\n"
     "          vulnerabilities and attack patterns, evidence as groupings with\n"
     "          notes, observables (SCOs), observed-data and artifacts, claims as\n"
     "          attributed-to relationships with confidence, opinions, findings as\n"
     "          reports, retractions as revoked versions. Ids are deterministic:\n"
     "          re-exports are identical. Objects are created_by the participant\n"
     "          who signed them.\n"
     "  csv     one row per attribution claim (status, disputed, confidence, ...)\n"
     "  norms-csv  one row per norm a claim says was breached (norm, explicit or\n"
     "          mapped, basis, claimant, status)\n"
     "  dot     the attribution graph for Graphviz (disputed claims dashed,\n"
     "          retracted dotted, the body's findings bold; norm edges from\n"
     "          incidents to the norms claims and findings cite)\n"
     "  svg     the graph rendered by Graphviz's dot program (to -o FILE or stdout)\n"
     "\n"
     "options:\n"
     "  -f, --format F       audit, tiles, site, stix, csv, norms-csv, dot, svg\n"
     "  --since I, --until J select entries I..J (inclusive)\n"
     "  --incident KEY       select the entries touching one incident (its reports,\n"
     "                       evidence, claims, opinions, retractions, findings, votes)\n"
     "  --size N             prove against the checkpoint signed at tree size N\n"
     "  -o, --out OUT        output file (directory for tiles and site)\n"
     "\n"
     "example:\n"
     "  attrledger export -C ./ledger --incident inc:wannacry-2017 -o wannacry.jsonl\n"
     "  attrledger export -C ./ledger --format tiles -o /var/www/log\n"
     "  attrledger export -C ./ledger --format site -o /var/www/record\n"
     "  attrledger export -C ./ledger --format stix -o ledger.stix.json\n"
     "  attrledger export -C ./ledger --format dot --incident inc:notpetya-2017 | dot -Tpng\n"},
    {"audit", "verify an exported audit trail or tiles offline",
     "usage: attrledger audit --vkey LOG.vkey TRAIL.jsonl\n"
     "       attrledger audit --vkey LOG.vkey --tiles DIR|URL [--from-checkpoint OLD]\n"
     "                        [--timeout S]\n"
     "\n"
     "Check an export with nothing but the log's verifier key (no ledger\n"
     "directory). For a trail: the checkpoint signature, every leaf hash and\n"
     "inclusion proof, every line byte for byte against the signed leaf, every\n"
     "record signature against the registrations in the trail, the ledger's\n"
     "authorisation rules (replayed from genesis), and that every entry belongs\n"
     "to the trail's selection. For tiles: rebuild the tree from the entry\n"
     "bundles, compare every tile and the root with the checkpoint, and check\n"
     "every entry as above; --from-checkpoint OLD also proves that the log of\n"
     "OLD's size is a prefix of this one (the log only grew).\n"
     "A trail of one incident proves that its entries are in the log, signed and\n"
     "allowed; it cannot prove that the exporter left nothing out.\n"
     "\n"
     "--tiles takes a directory or an http:// or https:// URL prefix (the\n"
     "directory `export --format tiles` wrote, served by any web server, object\n"
     "store or CDN; PATH is read from URL/PATH). The server is not trusted:\n"
     "every byte is checked as above. Redirects are followed to http(s) only\n"
     "(from https, to https only); TLS certificates are verified. --timeout S\n"
     "(default 10 to connect, 30 of silence) gives up on an unreachable or\n"
     "stalled server after S seconds.\n"
     "\n"
     "exit: 0 valid; 1 the first failure, named on stderr (a changed, missing\n"
     "or oversized file); 3 cannot read input (a server error or unreachable\n"
     "server: the URL and the cause are named)\n"
     "\n"
     "example:\n"
     "  attrledger audit --vkey log.vkey wannacry.jsonl\n"
     "  attrledger audit --vkey log.vkey --tiles https://ledger.example.org/tiles/ \\\n"
     "      --from-checkpoint cp-old.txt\n"
     "  attrledger audit --vkey log.vkey --tiles ./mirror --from-checkpoint cp-old.txt\n"},
    {"witness", "be a witness: cosign checkpoints that are consistent",
     "usage: attrledger witness init --name NAME --out KEY [--no-passphrase] [--force]\n"
     "       attrledger witness cosign --key KEY --state STATE --log-vkey LOG.vkey...\n"
     "                                 CHECKPOINT [--proof CONSISTENCY]\n"
     "       attrledger witness serve --key KEY --state STATE --log-vkey LOG.vkey...\n"
     "                                --listen HOST:PORT [--evidence DIR] [--port-file F]\n"
     "       attrledger witness request -C DIR --url WITNESS_URL --witness W.vkey [--size N]\n"
     "\n"
     "A witness (C2SP tlog-witness) cosigns a log's checkpoint only if the log\n"
     "signed it and it is consistent with the last checkpoint the witness\n"
     "cosigned for that origin, so no log can show two histories to people who\n"
     "check cosignatures.\n"
     "\n"
     "init: create the witness key (KEY, sealed like `key generate`) and KEY.pub,\n"
     "its cosignature/v1 verifier key (type 0x04) for verifiers' policies.\n"
     "\n"
     "cosign: check the log signature (--log-vkey, one per log followed) and the\n"
     "consistency proof from the size kept in STATE for that origin (the JSON of\n"
     "`attrledger prove consistency --json`, or a tlog-witness add-checkpoint\n"
     "body \"old N\" + hashes [+ blank line + checkpoint]); refuses a rollback\n"
     "(smaller tree), a fork (same size, other root) and a bad proof; updates\n"
     "STATE atomically, then prints the cosignature line (cosignature/v1, with a\n"
     "timestamp). The first checkpoint of an origin needs no proof.\n"
     "\n"
     "serve: the same rules on the network, as C2SP tlog-witness v1.0.0:\n"
     "POST /add-checkpoint answers 200 (the cosignature line), 400, 403 (no valid\n"
     "log signature), 404 (unknown log), 409 (body \"<size>\\n\", text/x.tlog.size:\n"
     "\"old\" is not the size this witness holds; send \"old 0\" to learn it) or\n"
     "422 (fork, bad proof); GET /<hex SHA-256 of origin>/checkpoint is the latest\n"
     "checkpoint it cosigned with its cosignature; GET /metrics counts requests.\n"
     "One witness follows many logs (one --log-vkey each). --evidence DIR keeps\n"
     "every request that shows a fork or a failing proof (forks also as fork\n"
     "reports for verify-fork). Port 0 picks a free port (written to --port-file).\n"
     "Runs until SIGINT or SIGTERM; one log line per request on stderr (-q: none).\n"
     "\n"
     "request: the log's side, for logs run without `serve`: send the stored\n"
     "checkpoint of size N (default: the latest) to the witness at URL, learn its\n"
     "size from a 409, send the consistency proof from there, verify the\n"
     "cosignature with W.vkey and store it with the checkpoint (`cosign add`).\n"
     "\n"
     "exit: 1 refused (rollback, fork, bad proof or signature, unknown log)\n"
     "\n"
     "example:\n"
     "  attrledger witness serve --key w1.key --state w1.state --log-vkey log.vkey \\\n"
     "      --listen 0.0.0.0:8441 --evidence ./evidence\n"
     "  attrledger -C ./ledger witness request --url http://w1.example.org:8441 \\\n"
     "      --witness w1.key.pub\n"
     "  attrledger witness init --name witness.example.org/w1 --out w1.key\n"
     "  attrledger -C ./ledger prove consistency 40 57 --json > p.json\n"
     "  attrledger witness cosign --key w1.key --state w1.state --log-vkey log.vkey \\\n"
     "      checkpoint-57.txt --proof p.json > cosig.txt\n"},
    {"mirror", "keep a verified copy of a remote log; detect forks",
     "usage: attrledger mirror --url URL|DIR --vkey LOG.vkey DIR [--follow SECONDS]\n"
     "                         [--fork-report FILE] [--timeout S] [--key KEY]\n"
     "\n"
     "Follow a log through its C2SP tlog-tiles (`export --format tiles`, served by\n"
     "any web server, or a directory) into the local ledger directory DIR\n"
     "(created on the first run). Only what is new is fetched: the checkpoint and\n"
     "the entry bundles past the mirror's size. Every new entry is checked as\n"
     "`audit --tiles` checks it (encoding, index and time order, the ledger's\n"
     "rules and every signature against the registry of the entries before it),\n"
     "the tree must have the root of the remote checkpoint (signed by LOG.vkey)\n"
     "and extend the mirror's own; only then are the entries and the remote's\n"
     "checkpoint appended, in one transaction. DIR is then an ordinary ledger:\n"
     "verify, show, the views, exports and prove work; submit is refused.\n"
     "\n"
     "If the remote contradicts the mirror (same size with another root, a larger\n"
     "tree that does not extend it, a smaller one that is not its prefix), DIR is\n"
     "left unchanged, both checkpoints are named and a fork report is written to\n"
     "FILE (default DIR.fork-report) for `attrledger verify-fork`. A remote that\n"
     "only went back to an older prefix is refused without a report.\n"
     "--follow polls every SECONDS (network errors are retried at the next poll;\n"
     "a fork or a bad entry stops it); progress is shown on a terminal.\n"
     "\n"
     "--key KEY (a cosigner key from `witness init`): the mirror cosigns each\n"
     "checkpoint it reached (cosignature/v1) and stores the line with it, so\n"
     "`checkpoint --with-cosignatures -C DIR` carries it and a policy can count\n"
     "the mirror like a witness (C2SP tlog-mirror's cosigner role).\n"
     "\n"
     "exit: 1 fork, rollback or an entry that fails its checks (DIR unchanged)\n"
     "\n"
     "example:\n"
     "  attrledger mirror --url https://ledger.example.org/tiles/ --vkey log.vkey \\\n"
     "      ./mirror --follow 60\n"
     "  attrledger -C ./mirror verify --vkey log.vkey\n"},
    {"verify-fork", "check a fork report: two conflicting signed checkpoints",
     "usage: attrledger verify-fork REPORT --vkey LOG.vkey [--json]\n"
     "\n"
     "Check a fork report written by `mirror` or kept by `witness serve\n"
     "--evidence` (docs/FORMATS.md 11a): both checkpoints are signed by LOG.vkey\n"
     "and cannot both be true (equal sizes with different roots, or a consistency\n"
     "proof showing that the larger tree does not extend the smaller one).\n"
     "Prints the two sizes and roots.\n"
     "\n"
     "exit: 0 the fork is proven; 1 the report proves nothing, is not signed by\n"
     "LOG.vkey or is malformed; 3 it cannot be read\n"
     "\n"
     "example:\n"
     "  attrledger verify-fork mirror.fork-report --vkey log.vkey\n"},
    {"cosign", "store witness cosignatures with the ledger",
     "usage: attrledger cosign add -C DIR --witness W.vkey [--witness W2.vkey]... [--size N] FILE\n"
     "\n"
     "Verify cosignature lines (as printed by `witness cosign`), or a whole\n"
     "cosigned checkpoint, against the checkpoint this ledger signed at that size\n"
     "(the latest unless --size N or the note says otherwise) with the given\n"
     "witness keys, and store them. `checkpoint --with-cosignatures` and\n"
     "`prove inclusion --receipt --with-cosignatures` then include them.\n"
     "\n"
     "exit: 1 a line does not verify or is by another witness\n"
     "\n"
     "example:\n"
     "  attrledger cosign add -C ./ledger --witness w1.key.pub cosig.txt\n"},
    {"serve", "run the ledger as an HTTP service (write API, tlog-tiles, proofs)",
     "usage: attrledger serve -C DIR [--listen HOST:PORT] [--read-only] [options]\n"
     "\n"
     "Serve the ledger over HTTP (libmicrohttpd; put nginx in front for TLS, see\n"
     "deploy/nginx.conf). Routes, bodies, statuses and limits: docs/HTTP.md.\n"
     "  POST /add-records       one signed envelope, or a JSON array of up to\n"
     "                          --max-records; answered after the records are\n"
     "                          committed under a signed checkpoint, with\n"
     "                          {\"receipts\": [{index, record_id, leaf_hash,\n"
     "                          receipt, existed}]}, or {\"error\": {code, message,\n"
     "                          record}} with 400/403/413/415/422/429/503\n"
     "  GET /checkpoint, /tile/L/N[.p/W], /tile/entries/N[.p/W]   C2SP tlog-tiles,\n"
     "                          byte-identical to `export --format tiles`\n"
     "  GET /entries/I, /records/ID, /proof/inclusion?index=I[&size=N],\n"
     "      /proof/consistency?old=A[&new=B], /receipt/I, /log.vkey\n"
     "  GET /healthz, /metrics  (Prometheus text format)\n"
     "Requests that arrive while a commit runs are committed together (group\n"
     "commit: one transaction, one fsync, one checkpoint); each is refused alone.\n"
     "The log key is unlocked once at start. SIGTERM or SIGINT drains (queued\n"
     "records commit, new writes get 503) and exits 0; SIGHUP reopens --log-file.\n"
     "One log line per request: TIME ADDR METHOD PATH STATUS BYTES MS ROUTE.\n"
     "\n"
     "options:\n"
     "  --listen HOST:PORT       default 127.0.0.1:8080; port 0 picks a free port\n"
     "  --read-only              no write route and no key (beside a writer, or a mirror)\n"
     "  --threads N              HTTP threads (default 4)\n"
     "  --max-connections N      default 1024\n"
     "  --idle-timeout S         close idle connections after S seconds (default 30)\n"
     "  --request-timeout S      cut a connection that completes no request in S (60)\n"
     "  --max-body BYTES         largest POST body (default 1048576)\n"
     "  --max-records N          records per request (default 1000)\n"
     "  --group-records N        records per group commit (default 10000)\n"
     "  --group-wait-ms MS       wait for more requests before a commit (default 0)\n"
     "  --queue-records N        waiting records before 503 (default 20000)\n"
     "  --rate N                 POSTs per second per client address, burst 2N (0 = off)\n"
     "  --rate-per-key N         records appended per second per signing key, burst 2N,\n"
     "                           spent after commit; over it: 429 + Retry-After (0 = off)\n"
     "  --site DIR               also serve DIR's files at / (GET; no traversal)\n"
     "  --log-file F             append the log to F instead of stderr\n"
     "  --port-file F            write the bound port to F (scripts, tests)\n"
     "  --log-passphrase-file F  passphrase of DIR/log.key, if it is encrypted\n"
     "  --witness-policy F       a C2SP tlog-policy (log, `witness NAME VKEY URL`,\n"
     "                           group, quorum lines): after each commit ask every\n"
     "                           witness with a URL to cosign the new checkpoint\n"
     "                           (in parallel, retried with back-off; a dead\n"
     "                           witness never blocks the log); cosignatures are\n"
     "                           stored and served with /checkpoint\n"
     "  --wait-quorum S          with --witness-policy: answer /add-records once the\n"
     "                           quorum cosigned its checkpoint (receipts then carry\n"
     "                           the cosignatures), or after S seconds with\n"
     "                           \"quorum\": {\"met\": false}; the records are committed\n"
     "                           either way (1-3600)\n"
     "\n"
     "example:\n"
     "  attrledger serve -C ./ledger --listen 127.0.0.1:8080\n"
     "  attrledger submit --url http://127.0.0.1:8080 --vkey ./ledger/log.vkey claim.signed.json\n"},
    {"help", "help for one command: attrledger help CMD (or CMD --help)",
     "usage: attrledger help [CMD]\n"
     "\n"
     "Without CMD, list the commands; with CMD, explain one: usage, options, exit\n"
     "codes where they differ, an example. `attrledger CMD --help` (also after\n"
     "global options: attrledger -C DIR CMD --help) prints the same text.\n"
     "Exit code 2 for an unknown CMD.\n"
     "\n"
     "example:\n"
     "  attrledger help export\n"},
    {"new", "print a commented template of a record",
     "usage: attrledger new [TYPE]\n"
     "\n"
     "Print a template of a record of TYPE (participant, key_revocation, actor,\n"
     "incident_report, evidence, attribution_claim, opinion, retraction,\n"
     "finding, panel_vote, instrument, norm, commitment, curation) as proto3\n"
     "JSON with // comments saying what each field means; without TYPE, list\n"
     "the types. Fill it in and sign it: `sign` and `submit` ignore //\n"
     "comments. docs/RECORDS.md has every field. A curation is the body's\n"
     "(an admin's): it moves an incident or actor to another owner or\n"
     "replaces its shown name or description, with a reason.\n"
     "\n"
     "example:\n"
     "  attrledger new attribution_claim > claim.json\n"
     "  attrledger sign claim.json --key cert-ua.key -o claim.signed.json\n"},
    {NULL, NULL, NULL},
};

static const char global_help[] =
    "global options (before or after the command):\n"
    "  -C, --ledger DIR       ledger directory (default: $ATTRLEDGER_DIR)\n"
    "  --json                 machine-readable output: compact JSON, one object\n"
    "                         per line; on failure {\"ok\":false,\"error\":{...}}\n"
    "                         on stdout too, with the same exit code\n"
    "  -q, --quiet            no messages or progress lines on stderr (progress\n"
    "                         shows only when stderr is a terminal; NO_COLOR\n"
    "                         drops its escape sequences)\n"
    "  --passphrase-file F    read passphrases from the first line of F\n"
    "  -h, --help             help for the command\n"
    "  --version              print the program's version, the formats it writes\n"
    "                         and the versions of its libraries (--json: an object)\n"
    "\n"
    "exit codes: 0 ok; 1 verification failed (also a malformed or damaged input\n"
    "to verify, verify-receipt, verify-fork, audit or witness cosign), record\n"
    "rejected, or the record asked for does not exist; 2 usage error or a\n"
    "malformed file to submit; 3 could not check or act (I/O, damaged store of\n"
    "another command, wrong passphrase, out of memory)\n";

const char *
cli_help_entry(size_t i, const char **summary, const char **text)
{
    if (i >= sizeof entries / sizeof entries[0] - 1)
        return NULL;
    *summary = entries[i].summary;
    *text = entries[i].text;
    return entries[i].name;
}

const char *
cli_help_global(void)
{
    return global_help;
}

void
cli_print_help(const char *cmd)
{
    if (cmd != NULL) {
        for (const help_entry *e = entries; e->name != NULL; e++) {
            if (strcmp(e->name, cmd) == 0) {
                fputs(e->text, stdout);
                fputs("\n", stdout);
                fputs(global_help, stdout);
                return;
            }
        }
    }
    fputs("usage: attrledger [global options] <command> [options] [args]\n"
          "\n"
          "Attribution Ledger: an append-only, signed ledger of cyber-incident\n"
          "attribution records with an RFC 6962 transparency log.\n"
          "\n"
          "commands:\n",
          stdout);
    for (const help_entry *e = entries; e->name != NULL; e++)
        printf("  %-16s %s\n", e->name, e->summary);
    fputs("\n", stdout);
    fputs(global_help, stdout);
}

int
cli_help(const char *cmd)
{
    if (cmd != NULL) {
        for (const help_entry *e = entries; e->name != NULL; e++)
            if (strcmp(e->name, cmd) == 0) {
                cli_print_help(cmd);
                return EXIT_OK;
            }
        fprintf(stderr, "attrledger: help: unknown command \"%s\"\n", cmd);
        return EXIT_USAGE;
    }
    cli_print_help(NULL);
    return EXIT_OK;
}
