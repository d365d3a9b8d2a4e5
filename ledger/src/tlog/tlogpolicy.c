/*
 * tlogpolicy.c - C2SP tlog-policy files and k-of-n witness quorums.
 *
 * Grammar (one statement per line, fields separated by spaces or tabs,
 * '#' to the end of a line is a comment):
 *   log <vkey> [url]
 *   witness <name> <vkey> [url]
 *   group <name> <k|all|any> <member> [<member>...]
 *   quorum <name|none>
 * Witness keys must be cosignature/v1 keys (type 0x04), log keys Ed25519
 * note keys (type 0x01). Names are unique among witnesses and groups and
 * must be defined before a group or quorum uses them, so evaluation is
 * one pass in definition order, with no recursion and no cycles.
 *
 * Bounds: 64 KiB of text, 16 logs, LEDGER_POLICY_MAX_WITNESSES witnesses,
 * LEDGER_POLICY_MAX_GROUPS groups, at most witnesses + groups members each.
 */
#include <stdio.h>
#include <string.h>

#include "attrledger/witness.h"
#include "base/alloc.h"
#include "base/error.h"
#include "crypto/crypto.h"
#include "tlog/merkle.h"
#include "tlog/note.h"

#define POLICY_MAX_TEXT (64u << 10)
#define POLICY_MAX_LOGS 16
#define MAX_FIELDS (4 + LEDGER_POLICY_MAX_WITNESSES + LEDGER_POLICY_MAX_GROUPS)

/* A reference to a witness (index >= 0) or a group (-1 - index). */
typedef int node_ref;

typedef struct {
    char name[LEDGER_NAME_MAX + 1];
    unsigned k;
    size_t n;
    node_ref members[LEDGER_POLICY_MAX_WITNESSES + LEDGER_POLICY_MAX_GROUPS];
} group;

struct ledger_tlog_policy {
    size_t n_logs;
    ledger_vkey logs[POLICY_MAX_LOGS];
    size_t n_witnesses;
    char wnames[LEDGER_POLICY_MAX_WITNESSES][LEDGER_NAME_MAX + 1];
    ledger_vkey witnesses[LEDGER_POLICY_MAX_WITNESSES];
    char *wurls[LEDGER_POLICY_MAX_WITNESSES]; /* the optional [url] field, or NULL */
    size_t n_groups;
    group groups[LEDGER_POLICY_MAX_GROUPS];
    int have_quorum;
    int quorum_none;
    node_ref quorum;
};

static int
find_name(const ledger_tlog_policy *p, const char *s, size_t len, node_ref *out)
{
    for (size_t i = 0; i < p->n_witnesses; i++)
        if (strlen(p->wnames[i]) == len && memcmp(p->wnames[i], s, len) == 0) {
            *out = (node_ref)i;
            return 1;
        }
    for (size_t i = 0; i < p->n_groups; i++)
        if (strlen(p->groups[i].name) == len && memcmp(p->groups[i].name, s, len) == 0) {
            *out = -1 - (node_ref)i;
            return 1;
        }
    return 0;
}

typedef struct {
    const char *s;
    size_t len;
} field;

/* Split a line (comment removed) into fields. Returns the count, or -1
 * when there are too many. */
static int
split(field *f, const char *line, size_t len)
{
    int n = 0;
    size_t i = 0;

    while (i < len) {
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i == len)
            break;
        if (n == MAX_FIELDS)
            return -1;
        f[n].s = line + i;
        while (i < len && line[i] != ' ' && line[i] != '\t')
            i++;
        f[n].len = (size_t)(line + i - f[n].s);
        n++;
    }
    return n;
}

static int
parse_name(char *out, const field *f, size_t lineno)
{
    if (!lg_key_name_valid(f->s, f->len))
        return lg_error_set(LEDGER_EFORMAT, "policy line %zu: invalid name", lineno);
    memcpy(out, f->s, f->len);
    out[f->len] = '\0';
    return 0;
}

static int
parse_line(ledger_tlog_policy *p, const char *line, size_t len, size_t lineno)
{
    field f[MAX_FIELDS];
    node_ref ref;
    int n, rc;

    for (size_t i = 0; i < len; i++) {
        if (line[i] == '#') {
            len = i;
            break;
        }
        if ((unsigned char)line[i] < 0x20 && line[i] != '\t')
            return lg_error_set(LEDGER_EFORMAT, "policy line %zu: control character", lineno);
    }
    if ((n = split(f, line, len)) < 0)
        return lg_error_set(LEDGER_EFORMAT, "policy line %zu: too many fields", lineno);
    if (n == 0)
        return 0;
#define IS(kw) (f[0].len == sizeof kw - 1 && memcmp(f[0].s, kw, sizeof kw - 1) == 0)
    if (IS("log")) {
        ledger_vkey vk;

        if (n < 2 || n > 3)
            return lg_error_set(LEDGER_EFORMAT, "policy line %zu: want \"log <vkey> [url]\"",
                                lineno);
        if (p->n_logs == POLICY_MAX_LOGS)
            return lg_error_set(LEDGER_EFORMAT, "policy line %zu: more than %d logs", lineno,
                                POLICY_MAX_LOGS);
        if ((rc = lg_vkey_parse(&vk, f[1].s, f[1].len)) < 0)
            return lg_error_prefix(rc, "policy line %zu", lineno);
        if (vk.type != LEDGER_SIGTYPE_ED25519)
            return lg_error_set(LEDGER_EFORMAT,
                                "policy line %zu: a log key must be an Ed25519 "
                                "note key (type 0x01)",
                                lineno);
        p->logs[p->n_logs++] = vk;
        return 0;
    }
    if (IS("witness")) {
        ledger_vkey vk;

        if (n < 3 || n > 4)
            return lg_error_set(LEDGER_EFORMAT,
                                "policy line %zu: want \"witness <name> <vkey> [url]\"", lineno);
        if (p->n_witnesses == LEDGER_POLICY_MAX_WITNESSES)
            return lg_error_set(LEDGER_EFORMAT, "policy line %zu: more than %d witnesses", lineno,
                                LEDGER_POLICY_MAX_WITNESSES);
        if (find_name(p, f[1].s, f[1].len, &ref))
            return lg_error_set(LEDGER_EFORMAT, "policy line %zu: name defined twice", lineno);
        if ((rc = parse_name(p->wnames[p->n_witnesses], &f[1], lineno)) < 0)
            return rc;
        if ((rc = lg_vkey_parse(&vk, f[2].s, f[2].len)) < 0)
            return lg_error_prefix(rc, "policy line %zu", lineno);
        if (vk.type != LEDGER_SIGTYPE_COSIGNATURE)
            return lg_error_set(LEDGER_EFORMAT,
                                "policy line %zu: a witness key must be a "
                                "cosignature/v1 key (type 0x04)",
                                lineno);
        for (size_t i = 0; i < p->n_witnesses; i++)
            if (p->witnesses[i].note_id == vk.note_id && strcmp(p->witnesses[i].name, vk.name) == 0)
                return lg_error_set(LEDGER_EFORMAT, "policy line %zu: witness key listed twice",
                                    lineno);
        if (n == 4) {
            if (f[3].len > LEDGER_POLICY_URL_MAX ||
                (strncmp(f[3].s, "http://", 7) != 0 && strncmp(f[3].s, "https://", 8) != 0))
                return lg_error_set(LEDGER_EFORMAT,
                                    "policy line %zu: a witness URL is http:// or https:// "
                                    "and at most %d bytes",
                                    lineno, LEDGER_POLICY_URL_MAX);
            if ((p->wurls[p->n_witnesses] = lg_strndup(f[3].s, f[3].len)) == NULL)
                return lg_error_nomem();
        }
        p->witnesses[p->n_witnesses++] = vk;
        return 0;
    }
    if (IS("group")) {
        group *g;
        uint64_t k = 0;

        if (n < 4)
            return lg_error_set(LEDGER_EFORMAT,
                                "policy line %zu: want \"group <name> <k|all|any> <member>...\"",
                                lineno);
        if (p->n_groups == LEDGER_POLICY_MAX_GROUPS)
            return lg_error_set(LEDGER_EFORMAT, "policy line %zu: more than %d groups", lineno,
                                LEDGER_POLICY_MAX_GROUPS);
        if (find_name(p, f[1].s, f[1].len, &ref))
            return lg_error_set(LEDGER_EFORMAT, "policy line %zu: name defined twice", lineno);
        g = &p->groups[p->n_groups];
        memset(g, 0, sizeof *g);
        if ((rc = parse_name(g->name, &f[1], lineno)) < 0)
            return rc;
        for (int i = 3; i < n; i++) {
            if (!find_name(p, f[i].s, f[i].len, &ref))
                return lg_error_set(LEDGER_EFORMAT,
                                    "policy line %zu: member %d is not a witness or group defined "
                                    "above",
                                    lineno, i - 2);
            for (size_t j = 0; j < g->n; j++)
                if (g->members[j] == ref)
                    return lg_error_set(LEDGER_EFORMAT, "policy line %zu: member listed twice",
                                        lineno);
            g->members[g->n++] = ref;
        }
        if (f[2].len == 3 && memcmp(f[2].s, "all", 3) == 0)
            k = g->n;
        else if (f[2].len == 3 && memcmp(f[2].s, "any", 3) == 0)
            k = 1;
        else {
            for (size_t i = 0; i < f[2].len; i++) {
                if (f[2].s[i] < '0' || f[2].s[i] > '9' || k > 1000)
                    return lg_error_set(LEDGER_EFORMAT,
                                        "policy line %zu: threshold must be a "
                                        "number, all or any",
                                        lineno);
                k = k * 10 + (uint64_t)(f[2].s[i] - '0');
            }
        }
        if (k == 0 || k > g->n)
            return lg_error_set(LEDGER_EFORMAT, "policy line %zu: threshold %llu of %zu members",
                                lineno, (unsigned long long)k, g->n);
        g->k = (unsigned)k;
        p->n_groups++;
        return 0;
    }
    if (IS("quorum")) {
        if (n != 2)
            return lg_error_set(LEDGER_EFORMAT, "policy line %zu: want \"quorum <name|none>\"",
                                lineno);
        if (p->have_quorum)
            return lg_error_set(LEDGER_EFORMAT, "policy line %zu: second quorum line", lineno);
        p->have_quorum = 1;
        if (f[1].len == 4 && memcmp(f[1].s, "none", 4) == 0) {
            p->quorum_none = 1;
            return 0;
        }
        if (!find_name(p, f[1].s, f[1].len, &p->quorum))
            return lg_error_set(LEDGER_EFORMAT,
                                "policy line %zu: quorum names no witness or group defined above",
                                lineno);
        return 0;
    }
#undef IS
    return lg_error_set(LEDGER_EFORMAT, "policy line %zu: unknown statement", lineno);
}

int
ledger_tlog_policy_parse(ledger_tlog_policy **out, const char *text, size_t len)
{
    ledger_tlog_policy *p;
    size_t pos = 0, lineno = 1;
    int rc;

    if (out == NULL || (text == NULL && len > 0))
        return lg_error_set(LEDGER_EINVAL, "policy: missing argument");
    *out = NULL;
    if (len > POLICY_MAX_TEXT)
        return lg_error_set(LEDGER_EFORMAT, "policy is %zu bytes, max %u", len, POLICY_MAX_TEXT);
    if ((p = lg_calloc(1, sizeof *p)) == NULL)
        return lg_error_nomem();
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t l = nl ? (size_t)(nl - (text + pos)) : len - pos;

        if ((rc = parse_line(p, text + pos, l, lineno)) < 0)
            goto fail;
        pos += l + 1;
        lineno++;
    }
    if (p->n_logs == 0) {
        rc = lg_error_set(LEDGER_EFORMAT, "policy has no log line");
        goto fail;
    }
    if (!p->have_quorum) {
        rc = lg_error_set(LEDGER_EFORMAT, "policy has no quorum line");
        goto fail;
    }
    *out = p;
    return 0;
fail:
    ledger_tlog_policy_free(p);
    return rc;
}

void
ledger_tlog_policy_free(ledger_tlog_policy *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < LEDGER_POLICY_MAX_WITNESSES; i++)
        lg_free(p->wurls[i]);
    lg_free(p);
}

size_t
ledger_tlog_policy_witnesses(const ledger_tlog_policy *p)
{
    return p ? p->n_witnesses : 0;
}

const ledger_vkey *
ledger_tlog_policy_witness(const ledger_tlog_policy *p, size_t i)
{
    return p && i < p->n_witnesses ? &p->witnesses[i] : NULL;
}

const char *
ledger_tlog_policy_witness_url(const ledger_tlog_policy *p, size_t i)
{
    return p && i < p->n_witnesses ? p->wurls[i] : NULL;
}

/* Is the quorum met, given which witnesses verified? */
static int
quorum_met(const ledger_tlog_policy *p, const int *verified)
{
    int ok_group[LEDGER_POLICY_MAX_GROUPS];

    if (p->quorum_none)
        return 1;
    for (size_t g = 0; g < p->n_groups; g++) {
        unsigned have = 0;

        for (size_t m = 0; m < p->groups[g].n; m++) {
            node_ref r = p->groups[g].members[m];
            have += r >= 0 ? verified[r] != 0 : ok_group[-1 - r];
        }
        ok_group[g] = have >= p->groups[g].k;
    }
    return p->quorum >= 0 ? verified[p->quorum] != 0 : ok_group[-1 - p->quorum];
}

int
ledger_checkpoint_verify_policy(ledger_policy_report *out, const uint8_t *note_bytes, size_t len,
                                const ledger_tlog_policy *p)
{
    ledger_vkey keys[1 + LEDGER_POLICY_MAX_WITNESSES];
    int verified[1 + LEDGER_POLICY_MAX_WITNESSES];
    uint64_t ts[1 + LEDGER_POLICY_MAX_WITNESSES];
    ledger_policy_report rep;
    lg_note *note = NULL;
    lg_checkpoint cp;
    const ledger_vkey *lk = NULL;
    int rc;

    if (out == NULL || p == NULL || (note_bytes == NULL && len > 0))
        return lg_error_set(LEDGER_EINVAL, "policy verify: missing argument");
    memset(out, 0, sizeof *out);
    memset(&rep, 0, sizeof rep);
    if ((rc = lg_note_parse(&note, note_bytes, len)) < 0)
        return lg_error_prefix(rc, "checkpoint");
    if ((rc = lg_checkpoint_parse(&cp, note->buf, note->text_len)) < 0) {
        rc = lg_error_prefix(rc, "checkpoint");
        goto done;
    }
    for (size_t i = 0; i < p->n_logs && lk == NULL; i++)
        if (strcmp(p->logs[i].name, cp.origin) == 0)
            lk = &p->logs[i];
    if (lk == NULL) {
        rc = lg_error_set(LEDGER_EBADSIG, "checkpoint: the policy has no log key for %.100s",
                          cp.origin);
        goto done;
    }
    keys[0] = *lk;
    memcpy(keys + 1, p->witnesses, p->n_witnesses * sizeof keys[0]);
    if ((rc = lg_note_verify(note, keys, 1 + p->n_witnesses, verified, ts)) < 0) {
        rc = lg_error_prefix(rc, "checkpoint");
        goto done;
    }
    if (!verified[0]) {
        rc = lg_error_set(LEDGER_EBADSIG, "checkpoint: no valid signature by the log %.100s",
                          cp.origin);
        goto done;
    }
    for (size_t i = 0; i < p->n_witnesses; i++) {
        if (!verified[1 + i])
            continue;
        rep.n_cosigned++;
        rep.cosigned[i / 64] |= (uint64_t)1 << (i % 64);
        rep.timestamps[i] = ts[1 + i];
    }
    if (!quorum_met(p, verified + 1)) {
        rc = lg_error_set(LEDGER_EPROOF,
                          "checkpoint: witness quorum not met (%zu of %zu policy witnesses "
                          "cosigned)",
                          rep.n_cosigned, p->n_witnesses);
        goto done;
    }
    rep.quorum_met = 1;
    memcpy(rep.checkpoint.origin, cp.origin, sizeof rep.checkpoint.origin);
    rep.checkpoint.size = cp.size;
    memcpy(rep.checkpoint.root, cp.root, LG_HASH);
    *out = rep;
done:
    lg_note_free(note);
    return rc;
}
