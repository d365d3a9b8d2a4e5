/*
 * client_proof.c - proofs read from a serving log (`prove --url`) and
 * verified against the pinned log key (client.h).
 *
 * A proof from the server is only hashes; what makes it worth anything is
 * the root it leads to. Every answer here is tied to the latest
 * checkpoint, whose signature is checked with the pinned key:
 *   - the proof itself is verified (RFC 6962) and must be for the sizes
 *     and index asked;
 *   - a proof at the checkpoint's size must end at its signed root;
 *   - a proof at a smaller size N ends at the root of N, which is then
 *     tied to the signed root by a consistency proof N -> checkpoint size,
 *     also fetched and verified.
 * A server that lies gets LEDGER_EPROOF or LEDGER_EBADSIG, never a proof
 * handed back.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "attrledger/error.h"
#include "attrledger/proof.h"
#include "base/b64.h"
#include "base/error.h"
#include "net/client_int.h"

#define PROOF_ANSWER_MAX (64u * 1024u)

/* A JSON number (or decimal string) field as u64. */
static int
get_u64(uint64_t *out, const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);

    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return 0;
    }
    if (json_is_string(v) && sscanf(json_string_value(v), "%20llu", (unsigned long long *)out) == 1)
        return 0;
    return lg_error_set(LEDGER_EFORMAT, "the server's proof has no valid \"%s\"", key);
}

static int
get_hash(uint8_t out[LEDGER_HASH_SIZE], const json_t *v, const char *key)
{
    const char *s = json_string_value(v);
    size_t n = 0;

    if (s == NULL || strlen(s) > 64 || lg_b64_decode(out, &n, s, strlen(s)) < 0 ||
        n != LEDGER_HASH_SIZE)
        return lg_error_set(LEDGER_EFORMAT, "the server's proof has no valid \"%s\"", key);
    return 0;
}

static int
get_hashes(uint8_t (*out)[LEDGER_HASH_SIZE], size_t *n, const json_t *o)
{
    const json_t *a = json_object_get(o, "hashes");
    int rc;

    if (!json_is_array(a) || json_array_size(a) > LEDGER_PROOF_MAX)
        return lg_error_set(LEDGER_EFORMAT, "the server's proof has no valid \"hashes\"");
    *n = json_array_size(a);
    for (size_t i = 0; i < *n; i++)
        if ((rc = get_hash(out[i], json_array_get(a, i), "hashes")) < 0)
            return rc;
    return 0;
}

/* GET path and parse the JSON object answered (200 only). */
static int
get_json(json_t **out, ledger_http_fetcher *f, const ledger_client_options *o, const char *path)
{
    ledger_http_status st;
    ledger_buf ans = LEDGER_BUF_INIT;
    int rc;

    *out = NULL;
    if ((rc = lg_client_request(&st, &ans, f, o, "GET", path, NULL, 0, PROOF_ANSWER_MAX)) < 0)
        return rc;
    if (st.status != 200) {
        rc = lg_client_server_error(st.status, &ans, path);
        ledger_buf_dispose(&ans);
        return rc;
    }
    *out = json_loadb((const char *)ans.data, ans.len, 0, NULL);
    ledger_buf_dispose(&ans);
    if (!json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return lg_error_set(LEDGER_EFORMAT, "%s: the server's answer is not a JSON object", path);
    }
    return 0;
}

/* GET and verify the latest checkpoint with the pinned key. */
static int
signed_checkpoint(ledger_checkpoint *cp, ledger_http_fetcher *f, const ledger_client_options *o)
{
    ledger_http_status st;
    ledger_buf ans = LEDGER_BUF_INIT;
    int rc;

    if ((rc = lg_client_request(&st, &ans, f, o, "GET", "checkpoint", NULL, 0, PROOF_ANSWER_MAX)) <
        0)
        return rc;
    if (st.status != 200)
        rc = lg_client_server_error(st.status, &ans, "checkpoint");
    else
        rc = ledger_checkpoint_verify(cp, ans.data, ans.len, o->log_key);
    ledger_buf_dispose(&ans);
    return rc;
}

/* Fetch and verify the consistency proof old -> new (new_size >= 1). */
static int
fetch_consistency(ledger_consistency_proof *p, ledger_http_fetcher *f,
                  const ledger_client_options *o, uint64_t old_size, uint64_t new_size)
{
    char path[96];
    json_t *j = NULL;
    int rc;

    memset(p, 0, sizeof *p);
    snprintf(path, sizeof path, "proof/consistency?old=%llu&new=%llu", (unsigned long long)old_size,
             (unsigned long long)new_size);
    if ((rc = get_json(&j, f, o, path)) < 0)
        return rc;
    if ((rc = get_u64(&p->old_size, j, "old_size")) == 0 &&
        (rc = get_u64(&p->new_size, j, "new_size")) == 0 &&
        (rc = get_hash(p->old_root, json_object_get(j, "old_root"), "old_root")) == 0 &&
        (rc = get_hash(p->new_root, json_object_get(j, "new_root"), "new_root")) == 0)
        rc = get_hashes(p->hashes, &p->n_hashes, j);
    json_decref(j);
    if (rc < 0)
        return rc;
    if (p->old_size != old_size || p->new_size != new_size)
        return lg_error_set(LEDGER_EPROOF,
                            "asked for a consistency proof %llu -> %llu, the server sent %llu -> "
                            "%llu",
                            (unsigned long long)old_size, (unsigned long long)new_size,
                            (unsigned long long)p->old_size, (unsigned long long)p->new_size);
    return ledger_proof_verify_consistency(p);
}

/* The root of size n is the signed one: equal to cp's, or proved a prefix of it. */
static int
tie_to_checkpoint(const uint8_t root[LEDGER_HASH_SIZE], uint64_t n, ledger_http_fetcher *f,
                  const ledger_client_options *o, const ledger_checkpoint *cp)
{
    ledger_consistency_proof c;
    int rc;

    if (n == cp->size)
        return memcmp(root, cp->root, LEDGER_HASH_SIZE) == 0
                   ? 0
                   : lg_error_set(LEDGER_EPROOF,
                                  "the proof's root is not the signed root of "
                                  "size %llu",
                                  (unsigned long long)n);
    if ((rc = fetch_consistency(&c, f, o, n, cp->size)) < 0)
        return lg_error_prefix(rc, "tying size %llu to the signed checkpoint",
                               (unsigned long long)n);
    if (memcmp(c.old_root, root, LEDGER_HASH_SIZE) != 0 ||
        memcmp(c.new_root, cp->root, LEDGER_HASH_SIZE) != 0)
        return lg_error_set(LEDGER_EPROOF,
                            "the root of size %llu is not consistent with the signed checkpoint "
                            "of size %llu",
                            (unsigned long long)n, (unsigned long long)cp->size);
    return 0;
}

static int
check_size(uint64_t *size, const ledger_checkpoint *cp, uint64_t want_min)
{
    if (*size == 0)
        *size = cp->size;
    if (*size > cp->size)
        return lg_error_set(LEDGER_ENOTFOUND,
                            "size %llu is beyond the log's signed checkpoint (size %llu)",
                            (unsigned long long)*size, (unsigned long long)cp->size);
    if (*size < want_min)
        return lg_error_set(LEDGER_ENOTFOUND, "entry %llu is not in a tree of size %llu",
                            (unsigned long long)(want_min - 1), (unsigned long long)*size);
    return 0;
}

int
ledger_client_prove_inclusion(ledger_inclusion_proof *out, ledger_checkpoint *cp_out,
                              const char *url, uint64_t index, uint64_t size,
                              const ledger_client_options *o)
{
    ledger_http_fetcher *f = NULL;
    ledger_checkpoint cp;
    ledger_inclusion_proof p;
    char path[96];
    json_t *j = NULL;
    int rc;

    if (out == NULL || index == UINT64_MAX)
        return lg_error_set(LEDGER_EINVAL, "client prove: bad argument");
    memset(out, 0, sizeof *out);
    memset(&p, 0, sizeof p);
    if ((rc = lg_client_check_opts(o, url)) < 0 ||
        (rc = ledger_http_fetcher_new(&f, url, NULL)) < 0 ||
        (rc = signed_checkpoint(&cp, f, o)) < 0 || (rc = check_size(&size, &cp, index + 1)) < 0)
        goto done;
    snprintf(path, sizeof path, "proof/inclusion?index=%llu&size=%llu", (unsigned long long)index,
             (unsigned long long)size);
    if ((rc = get_json(&j, f, o, path)) < 0)
        goto done;
    if ((rc = get_u64(&p.tree_size, j, "tree_size")) < 0 ||
        (rc = get_u64(&p.leaf_index, j, "leaf_index")) < 0 ||
        (rc = get_hash(p.leaf_hash, json_object_get(j, "leaf_hash"), "leaf_hash")) < 0 ||
        (rc = get_hash(p.root, json_object_get(j, "root"), "root")) < 0 ||
        (rc = get_hashes(p.hashes, &p.n_hashes, j)) < 0)
        goto done;
    if (p.tree_size != size || p.leaf_index != index) {
        rc = lg_error_set(LEDGER_EPROOF,
                          "asked for entry %llu in size %llu, the server proved entry %llu in "
                          "size %llu",
                          (unsigned long long)index, (unsigned long long)size,
                          (unsigned long long)p.leaf_index, (unsigned long long)p.tree_size);
        goto done;
    }
    if ((rc = ledger_proof_verify_inclusion(&p)) < 0 ||
        (rc = tie_to_checkpoint(p.root, size, f, o, &cp)) < 0)
        goto done;
    *out = p;
    if (cp_out != NULL)
        *cp_out = cp;
done:
    json_decref(j);
    ledger_http_fetcher_free(f);
    return rc;
}

int
ledger_client_prove_consistency(ledger_consistency_proof *out, ledger_checkpoint *cp_out,
                                const char *url, uint64_t old_size, uint64_t new_size,
                                const ledger_client_options *o)
{
    ledger_http_fetcher *f = NULL;
    ledger_checkpoint cp;
    ledger_consistency_proof p;
    int rc;

    if (out == NULL)
        return lg_error_set(LEDGER_EINVAL, "client prove: bad argument");
    memset(out, 0, sizeof *out);
    if ((rc = lg_client_check_opts(o, url)) < 0 ||
        (rc = ledger_http_fetcher_new(&f, url, NULL)) < 0 ||
        (rc = signed_checkpoint(&cp, f, o)) < 0 || (rc = check_size(&new_size, &cp, 0)) < 0)
        goto done;
    if (new_size == 0 || old_size > new_size) {
        rc = lg_error_set(LEDGER_EINVAL, "consistency from %llu to %llu: OLD must be at most NEW",
                          (unsigned long long)old_size, (unsigned long long)new_size);
        goto done;
    }
    if ((rc = fetch_consistency(&p, f, o, old_size, new_size)) < 0 ||
        (rc = tie_to_checkpoint(p.new_root, new_size, f, o, &cp)) < 0)
        goto done;
    *out = p;
    if (cp_out != NULL)
        *cp_out = cp;
done:
    ledger_http_fetcher_free(f);
    return rc;
}
