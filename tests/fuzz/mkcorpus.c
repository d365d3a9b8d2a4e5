/*
 * mkcorpus.c - write the valid seed inputs of the fuzz corpora.
 *
 *   fuzz_mkcorpus OUTDIR SAMPLEDIR
 *
 * Creates a ledger signed by the fuzz log key (fuzz.h) in a temporary
 * directory, submits a few sample records, and writes real records,
 * leaves, envelopes, notes, checkpoints, receipts, key strings, key files,
 * proofs and tile paths to OUTDIR/<target>/valid-*. Run once by hand when
 * a format changes; its output is committed under tests/fuzz/corpus/. The
 * broken seeds (bad-*) are written by hand.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "codec/codec.h"
#include "codec/json.h"
#include "crypto/crypto.h"
#include "crypto/keyfile.h"
#include "fuzz.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tiles.h"
#include "world.h"

static const char *outdir;

#define OK(x)                                                                                      \
    do {                                                                                           \
        if ((x) < 0) {                                                                             \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #x,                             \
                    ledger_error_last()->message);                                                 \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

static void
put(const char *target, const char *name, const void *data, size_t len)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", outdir, target);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/valid-%s", outdir, target, name);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;

    if (f == NULL) {
        perror(path);
        exit(1);
    }
    buf = malloc(1 << 20);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

/* In-memory stored hashes of a small tree, for proofs. */
static lg_hash stored[64];

static int
mem_reader(void *p, uint64_t i, lg_hash out)
{
    (void)p;
    memcpy(out, stored[i], 32);
    return 0;
}

static void
put_proof(const char *name, uint64_t a, uint64_t b, const uint8_t *x, const uint8_t *y,
          const lg_hash *proof, size_t n)
{
    uint8_t buf[80 + 64 * 32];

    for (int i = 0; i < 8; i++) {
        buf[7 - i] = (uint8_t)(a >> (8 * i));
        buf[15 - i] = (uint8_t)(b >> (8 * i));
    }
    memcpy(buf + 16, x, 32);
    memcpy(buf + 48, y, 32);
    memcpy(buf + 80, proof, n * 32);
    put("proof", name, buf, 80 + n * 32);
}

int
main(int argc, char **argv)
{
    static const char *samples[] = {"038-act-dprk.json", "059-op-sony-rogers-dispute.json",
                                    "056-inc-sony-2014.json", "058-clm-sony-fbi.json"};
    char tmpl[] = "/tmp/fuzz-mkcorpus-XXXXXX", path[4096], name[64];
    ledger_key *member = NULL, *admin = NULL;
    ledger_vkey admin_vk;
    ledger_log *log = NULL;
    ledger_init_options o = LEDGER_INIT_OPTIONS_INIT;
    ledger_buf b = LEDGER_BUF_INIT;
    uint8_t seed[32];

    if (argc != 3) {
        fprintf(stderr, "usage: fuzz_mkcorpus OUTDIR SAMPLEDIR\n");
        return 2;
    }
    outdir = argv[1];
    setenv("ATTRLEDGER_FAKE_TIME_MS", "1700000000000", 1);
    fuzz_init();
    memset(seed, 0x22, 32);
    OK(ledger_key_from_seed(&admin, "p:admin", seed));
    ledger_key_vkey(&admin_vk, admin, LEDGER_SIGTYPE_ED25519);
    memset(seed, 0x33, 32);
    OK(ledger_key_from_seed(&member, "p:member", seed));
    if (mkdtemp(tmpl) == NULL)
        return 1;
    o.origin = FUZZ_ORIGIN;
    o.log_key = fuzz_log_key();
    o.admins = &admin_vk;
    o.n_admins = 1;
    OK(ledger_log_create(&log, tmpl, &o));

    /* Records and envelopes from the sample data (JSON as people write it,
     * canonical bytes, signed envelope JSON). */
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        size_t len;
        char *text;
        ledger_envelope *env = NULL;
        ledger_buf rec = LEDGER_BUF_INIT, js = LEDGER_BUF_INIT, leaf = LEDGER_BUF_INIT;
        lg_sig sig;

        snprintf(path, sizeof path, "%s/%s", argv[2], samples[i]);
        text = slurp(path, &len);
        put("json", samples[i], text, len);
        put("envelope", samples[i], text, len);
        OK(ledger_envelope_parse(&env, text, len));
        OK(ledger_envelope_sign(env, member));
        OK(ledger_envelope_record(&rec, env));
        snprintf(name, sizeof name, "%zu.pb", i);
        put("record", name, rec.data, rec.len);
        OK(ledger_envelope_to_json(&js, env, 0));
        snprintf(name, sizeof name, "%zu.signed.json", i);
        put("envelope", name, js.data, js.len);
        memset(&sig, 0, sizeof sig);
        OK(lg_record_sign(sig.sig, rec.data, rec.len, member));
        ledger_key_id(sig.key_id, member);
        OK(lg_entry_encode(&leaf, 7 + i, 1700000000000ull, rec.data, rec.len, &sig, 1));
        snprintf(name, sizeof name, "%zu.leaf", i);
        put("record", name, leaf.data, leaf.len);
        ledger_buf_dispose(&leaf);
        ledger_buf_dispose(&rec);
        ledger_buf_dispose(&js);
        ledger_envelope_free(env);
        free(text);
    }

    /* Checkpoints, cosigned notes and receipts from a real ledger. */
    {
        static char reg[2048];
        uint8_t pk[32];
        char b64[64];
        ledger_envelope *env = NULL;
        ledger_receipt r[2];
        uint8_t buf[70000];

        ledger_key_public(pk, member);
        ledger_b64_encode(b64, pk, 32);
        snprintf(reg, sizeof reg,
                 "{\"header\": {\"record_id\": \"reg:p:member\", \"author\": \"p:admin\","
                 " \"provenance\": \"PROVENANCE_FIRST_PARTY\"},"
                 " \"participant\": {\"participant_id\": \"p:member\", \"roles\":"
                 " [\"PARTICIPANT_ROLE_MEMBER\"], \"public_keys\": [{\"alg\":"
                 " \"SIGNATURE_ALG_ED25519\", \"public_key\": \"%s\"}]}}",
                 b64);
        OK(ledger_envelope_parse(&env, reg, strlen(reg)));
        OK(ledger_envelope_sign(env, admin));
        OK(ledger_envelope_sign(env, member));
        OK(ledger_log_submit(r, log, &env, 1));
        ledger_envelope_free(env);
        ledger_buf_dispose(&b);
        OK(ledger_log_checkpoint(&b, log, 0));
        put("note", "checkpoint", b.data, b.len);
        {
            /* A witness cosignature line added to the checkpoint. */
            lg_note *n = NULL;
            ledger_buf line = LEDGER_BUF_INIT, both = LEDGER_BUF_INIT;
            OK(lg_note_parse(&n, b.data, b.len));
            OK(lg_note_cosign(&line, n->buf, n->text_len, 1700000000, fuzz_log_key()));
            OK(lg_note_add_lines(&both, b.data, b.len, line.data, line.len));
            put("note", "cosigned", both.data, both.len);
            lg_note_free(n);
            ledger_buf_dispose(&line);
            ledger_buf_dispose(&both);
        }
        buf[0] = (uint8_t)(r[0].leaf.len >> 8);
        buf[1] = (uint8_t)r[0].leaf.len;
        memcpy(buf + 2, r[0].leaf.data, r[0].leaf.len);
        memcpy(buf + 2 + r[0].leaf.len, r[0].receipt.data, r[0].receipt.len);
        put("receipt", "entry-1", buf, 2 + r[0].leaf.len + r[0].receipt.len);
        ledger_receipts_dispose(r, 1);
        /* A receipt for genesis in the tree of 2 (one proof hash). */
        {
            ledger_inclusion_proof ip;
            ledger_buf leaf0 = LEDGER_BUF_INIT, text = LEDGER_BUF_INIT;
            OK(ledger_log_prove_inclusion(&ip, log, 0, 0));
            OK(ledger_log_entry(&leaf0, log, 0));
            OK(lg_receipt_format(&text, 0, (const lg_hash *)ip.hashes, ip.n_hashes, b.data, b.len));
            buf[0] = (uint8_t)(leaf0.len >> 8);
            buf[1] = (uint8_t)leaf0.len;
            memcpy(buf + 2, leaf0.data, leaf0.len);
            memcpy(buf + 2 + leaf0.len, text.data, text.len);
            put("receipt", "entry-0", buf, 2 + leaf0.len + text.len);
            ledger_buf_dispose(&leaf0);
            ledger_buf_dispose(&text);
        }
    }

    /* An audit trail of the whole ledger (genesis, the registration and a
     * claim) and a witness request against its checkpoint. */
    {
        static const char clm[] =
            "{\"header\": {\"record_id\": \"clm:fuzz\", \"author\": \"p:member\","
            " \"provenance\": \"PROVENANCE_FIRST_PARTY\", \"tlp\": \"TLP_CLEAR\"},"
            " \"attribution_claim\": {\"claimant\": \"p:member\","
            " \"statement\": \"fuzz\", \"confidence\": {\"stix_value\": 50}}}";
        ledger_envelope *env = NULL;
        ledger_receipt r;
        ledger_export_report rep;
        tu_sink sink = {0};
        ledger_consistency_proof cp;
        ledger_buf note = LEDGER_BUF_INIT;
        static char req[8192];
        size_t off;

        OK(ledger_envelope_parse(&env, clm, strlen(clm)));
        OK(ledger_envelope_sign(env, member));
        OK(ledger_log_submit(&r, log, &env, 1));
        ledger_receipts_dispose(&r, 1);
        ledger_envelope_free(env);
        OK(ledger_export_audit(&rep, log, NULL, tu_sink_write, &sink));
        put("trail", "ledger", sink.data, sink.len);
        tu_sink_free(&sink);
        OK(ledger_log_prove_consistency(&cp, log, 2, 0));
        OK(ledger_log_checkpoint(&note, log, 0));
        off = (size_t)snprintf(req, sizeof req, "old 2\n");
        for (size_t i = 0; i < cp.n_hashes; i++) {
            ledger_b64_encode(req + off, cp.hashes[i], 32);
            off += strlen(req + off);
            req[off++] = '\n';
        }
        req[off++] = '\n';
        memcpy(req + off, note.data, note.len);
        put("policy", "request", req, off + note.len);
        ledger_buf_dispose(&note);
    }

    /* Key strings and key files. */
    {
        ledger_buf s = LEDGER_BUF_INIT;
        ledger_vkey vk;
        size_t len;
        char *text;

        OK(ledger_vkey_format(&s, fuzz_log_vkey()));
        put("keystr", "vkey", s.data, s.len);
        ledger_buf_dispose(&s);
        ledger_key_vkey(&vk, fuzz_log_key(), LEDGER_SIGTYPE_COSIGNATURE);
        OK(ledger_vkey_format(&s, &vk));
        put("keystr", "vkey-witness", s.data, s.len);
        {
            /* The policy fuzz_policy's fixed checkpoint meets. */
            ledger_buf lv = LEDGER_BUF_INIT;
            static char pol[1024];
            int pl;
            OK(ledger_vkey_format(&lv, fuzz_log_vkey()));
            pl = snprintf(pol, sizeof pol, "log %.*s\nwitness w1 %.*s\nquorum w1\n", (int)lv.len,
                          (const char *)lv.data, (int)s.len, (const char *)s.data);
            put("policy", "policy", pol, (size_t)pl);
            ledger_buf_dispose(&lv);
        }
        ledger_buf_dispose(&s);
        OK(lg_skey_format(&s, member));
        put("keystr", "skey", s.data, s.len);
        lg_memzero(s.data, s.len);
        ledger_buf_dispose(&s);
        snprintf(path, sizeof path, "%s/../../tests/vectors/keyfile/v1-unencrypted.key", argv[2]);
        text = slurp(path, &len);
        put("keyfile", "unencrypted", text, len);
        free(text);
        snprintf(path, sizeof path, "%s/../../tests/vectors/keyfile/v1-argon2id.key", argv[2]);
        text = slurp(path, &len);
        put("keyfile", "argon2id", text, len);
        free(text);
    }

    /* Proofs over a tree of 7 leaves: every inclusion proof of size 7 and
     * consistency proofs 3 -> 7 and 4 -> 7. */
    {
        lg_merkle_range range;
        lg_hash leaves[7], fresh[64], roots[8], proof[64];
        uint64_t count = 0;
        size_t n;
        int nn;

        lg_merkle_range_init(&range);
        lg_merkle_range_root(&range, roots[0]);
        for (int i = 0; i < 7; i++) {
            uint8_t d = (uint8_t)i;
            lg_merkle_leaf_hash(leaves[i], &d, 1);
            lg_merkle_range_append(&range, leaves[i], fresh, &nn);
            memcpy(stored[count], fresh, (size_t)nn * 32);
            count += (uint64_t)nn;
            lg_merkle_range_root(&range, roots[i + 1]);
        }
        for (uint64_t i = 0; i < 7; i += 3) {
            OK(lg_merkle_prove_inclusion(proof, &n, i, 7, mem_reader, NULL));
            snprintf(name, sizeof name, "inclusion-%llu-7", (unsigned long long)i);
            put_proof(name, i, 7, leaves[i], roots[7], (const lg_hash *)proof, n);
        }
        for (uint64_t m = 3; m <= 4; m++) {
            OK(lg_merkle_prove_consistency(proof, &n, m, 7, mem_reader, NULL));
            snprintf(name, sizeof name, "consistency-%llu-7", (unsigned long long)m);
            put_proof(name, m, 7, roots[m], roots[7], (const lg_hash *)proof, n);
        }
    }

    /* Records the test world (world.h) accepts, one per kind, for the
     * record target's readers check (readers.c). */
    {
#define WHDR(id, author)                                                                           \
    "{\"header\": {\"record_id\": \"" id "\", \"author\": \"" author "\","                         \
    " \"created\": \"2019-01-01T00:00:00Z\", \"provenance\": \"PROVENANCE_FIRST_PARTY\","          \
    " \"tlp\": \"TLP_CLEAR\"}, "
        static const char *const world[][2] = {
            {"world-actor", WHDR("act:fz", "p:vendor") "\"actor\": {\"actor_id\": \"act:fz\","
                                                       " \"name\": \"Fuzz Group\", \"actor_kind\":"
                                                       " \"ACTOR_KIND_INTRUSION_SET\","
                                                       " \"parent_actor\": \"act:unit\"}}"},
            {"world-incident", WHDR("inc:fz", "p:gov") "\"incident_report\": {\"incident_key\":"
                                                       " \"inc:fz\", \"name\": \"Fuzz\","
                                                       " \"determination\":"
                                                       " \"DETERMINATION_CONFIRMED\"}}"},
            {"world-revision", "{\"header\": {\"record_id\": \"inc:two@v2\", \"author\":"
                               " \"p:vendor\", \"created\": \"2019-01-01T00:00:00Z\","
                               " \"supersedes\": \"inc:two\", \"provenance\":"
                               " \"PROVENANCE_FIRST_PARTY\", \"tlp\": \"TLP_CLEAR\"},"
                               " \"incident_report\": {\"incident_key\": \"inc:two\","
                               " \"name\": \"Wiper Two\", \"determination\":"
                               " \"DETERMINATION_CONFIRMED\"}}"},
            {"world-evidence", WHDR("ev:fz", "p:vendor") "\"evidence\": {\"incident_refs\":"
                                                         " [\"inc:two\"], \"evidence_type\":"
                                                         " \"EVIDENCE_TYPE_CODE_SIMILARITY\","
                                                         " \"title\": \"Overlap\"}}"},
            {"world-claim", WHDR("clm:fz", "p:gov") "\"attribution_claim\": {\"claimant\":"
                                                    " \"p:gov\", \"incident_refs\": [\"inc:two\"],"
                                                    " \"attributed_to\": \"act:group\","
                                                    " \"state_nexus\": \"act:state\","
                                                    " \"evidence_refs\": [\"ev:one\"],"
                                                    " \"assertion_type\":"
                                                    " \"ASSERTION_TYPE_ATTRIBUTION\","
                                                    " \"confidence\": {\"stix_value\": 60}}}"},
            {"world-opinion", WHDR("op:fz", "p:gov") "\"opinion\": {\"target_refs\":"
                                                     " [\"clm:vendor-two\"], \"kind\":"
                                                     " \"OPINION_KIND_DISPUTE\", \"stance\":"
                                                     " \"OPINION_DISAGREE\"}}"},
            {"world-retraction", WHDR("ret:fz", "p:gov") "\"retraction\": {\"target_ref\":"
                                                         " \"clm:gov-one\", \"kind\":"
                                                         " \"RETRACTION_KIND_WITHDRAW\","
                                                         " \"reason\":"
                                                         " \"RETRACTION_REASON_ERROR\"}}"},
            {"world-finding", WHDR("fnd:fz", "p:body") "\"finding\": {\"case_number\":"
                                                       " \"IAB-2\", \"title\": \"Two\","
                                                       " \"incident_refs\": [\"inc:two\"],"
                                                       " \"outcome\":"
                                                       " \"FINDING_OUTCOME_ATTRIBUTED\","
                                                       " \"conclusions\": [{\"attributed_to\":"
                                                       " \"act:group\"}], \"panel_members\":"
                                                       " [\"p:panel\"], \"decision_rule\":"
                                                       " {\"panel_size\": 1,"
                                                       " \"approvals_required\": 1}}}"},
            {"world-instrument", WHDR("ins:fz", "p:cur") "\"instrument\": {\"instrument_id\":"
                                                         " \"ins:fz\", \"title\": \"Fuzz"
                                                         " Accord\", \"kind\":"
                                                         " \"INSTRUMENT_KIND_UN_REPORT\"}}"},
        };
#undef WHDR
        for (size_t i = 0; i < sizeof world / sizeof world[0]; i++) {
            ledger_envelope *env = NULL;
            ledger_buf rec = LEDGER_BUF_INIT;

            OK(ledger_envelope_parse(&env, world[i][1], strlen(world[i][1])));
            OK(ledger_envelope_record(&rec, env));
            snprintf(name, sizeof name, "%s.pb", world[i][0]);
            put("record", name, rec.data, rec.len);
            ledger_buf_dispose(&rec);
            ledger_envelope_free(env);
        }
    }

    /* Tile paths. */
    {
        static const lg_tile tiles[] = {
            {0, 0, 256}, {0, 1234067, 256}, {LG_TILE_ENTRIES, 3, 17}, {2, 5, 255}, {63, 0, 1}};
        char p[LG_TILE_PATH_MAX];
        for (size_t i = 0; i < sizeof tiles / sizeof tiles[0]; i++) {
            OK(lg_tile_path(p, sizeof p, &tiles[i]));
            snprintf(name, sizeof name, "%zu", i);
            put("tiles", name, p, strlen(p));
        }
    }

    ledger_buf_dispose(&b);
    ledger_log_free(log);
    ledger_key_free(member);
    ledger_key_free(admin);
    snprintf(path, sizeof path, "rm -rf '%s'", tmpl);
    if (system(path) != 0)
        return 1;
    return 0;
}
