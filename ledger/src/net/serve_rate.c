/*
 * serve_rate.c - the rate limit per signing key of POST /add-records
 * (ledger_server_options.rate_per_key; docs/HTTP.md "Limits").
 *
 * A token bucket per key id: rate_per_key records per second, burst 2x.
 * The budget is spent only by records the log appended, after the commit
 * (lg_serve_key_rate_charge), never at arrival: an appended record's
 * signatures were verified with the registered key, so nobody spends a
 * member's budget with forged requests that name its key id, nor by
 * replaying its old records (an existing record is not appended). A
 * request is refused 429 at arrival (lg_serve_key_rate_check) when a key
 * that signs one of its records has no token left; the bucket may go
 * below zero when one request appends many records, and refills at the
 * same rate. The per-address limit (rate_per_client, serve.c) covers the
 * requests that never reach a commit.
 *
 * The table is small and hashed by key id; a key that takes a slot from
 * another starts with a full bucket, so a collision can only make the
 * limit looser, never refuse wrongly.
 */
#include <string.h>

#include "codec/codec.h"
#include "codec/record.h"
#include "net/serve_int.h"

/* Refill r's bucket up to `now`. */
static void
refill(const ledger_server *s, lg_key_rate_slot *r, uint64_t now, double burst)
{
    r->tokens += (double)(now - r->last_ms) * s->o.rate_per_key / 1000.0;
    if (r->tokens > burst)
        r->tokens = burst;
    r->last_ms = now;
}

/*
 * The bucket of key_id, found by probing LG_SERVE_KEY_PROBE slots from its
 * hash. A key seen for the first time takes an unused slot, else the slot
 * of the probe run with the most tokens after refill: a full bucket says
 * nothing a new one would not, so no key's spent budget is forgotten while
 * a full one can go instead. (Before, a key whose hash met another's slot
 * replaced it, and the other key's spent budget was reset to full.)
 */
static lg_key_rate_slot *
slot_of(ledger_server *s, const uint8_t key_id[32], uint64_t now, double burst)
{
    uint32_t h;
    lg_key_rate_slot *r, *take = NULL;

    memcpy(&h, key_id, sizeof h); /* key ids are hashes: any 4 bytes spread well */
    for (uint32_t k = 0; k < LG_SERVE_KEY_PROBE; k++) {
        r = &s->key_rate[(h + k) % LG_SERVE_KEY_SLOTS];
        if (r->used && memcmp(r->key_id, key_id, 32) == 0) {
            refill(s, r, now, burst);
            return r;
        }
        if (!r->used) {
            if (take == NULL || take->used)
                take = r;
            continue;
        }
        refill(s, r, now, burst);
        if (take == NULL || (take->used && r->tokens > take->tokens))
            take = r;
    }
    memcpy(take->key_id, key_id, 32);
    take->used = 1;
    take->tokens = burst;
    take->last_ms = now;
    return take;
}

unsigned
lg_serve_key_rate_check(ledger_server *s, ledger_envelope *const *envs, size_t n)
{
    double rate = s->o.rate_per_key, burst = 2.0 * rate;
    uint64_t now = lg_serve_now_ms();
    unsigned wait = 0;

    if (s->o.rate_per_key == 0)
        return 0;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < n; i++) {
        const lg_envelope *e = envs[i]->env;

        for (size_t j = 0; j < e->n_sigs; j++) {
            lg_key_rate_slot *r = slot_of(s, e->sigs[j].key_id, now, burst);

            if (r->tokens < 1.0) {
                unsigned w = (unsigned)((1.0 - r->tokens) / rate) + 1;

                if (w > wait)
                    wait = w;
            }
        }
    }
    pthread_mutex_unlock(&s->lock);
    return wait;
}

void
lg_serve_key_rate_charge(ledger_server *s, ledger_envelope *const *envs, size_t n,
                         const ledger_receipt *receipts)
{
    double burst = 2.0 * s->o.rate_per_key;
    uint64_t now = lg_serve_now_ms();

    if (s->o.rate_per_key == 0)
        return;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < n; i++) {
        const lg_envelope *e = envs[i]->env;

        if (receipts[i].existed)
            continue;
        for (size_t j = 0; j < e->n_sigs; j++)
            slot_of(s, e->sigs[j].key_id, now, burst)->tokens -= 1.0;
    }
    pthread_mutex_unlock(&s->lock);
}
