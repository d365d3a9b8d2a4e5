/*
 * world.h - a small but complete ledger for export, audit and STIX tests.
 *
 * Entries (index: record_id, author):
 *    0 genesis                       log key; admin p:admin
 *    1 reg:p:gov      MEMBER         a government
 *    2 reg:p:vendor   MEMBER         a security vendor
 *    3 reg:p:cur      CURATOR        the body's registry curator
 *    4 reg:p:quoted   MEMBER         an organisation quoted by the curator
 *    5 reg:p:body     BODY           the attribution body
 *    6 reg:p:panel    PANELIST
 *    7 act:state      p:gov          ACTOR_KIND_STATE
 *    8 act:unit       p:gov          STATE_ORGAN, parent act:state
 *    9 act:group      p:vendor       INTRUSION_SET, parent act:unit
 *   10 inc:one        p:gov          incident report
 *   11 inc:two        p:vendor       another incident
 *   12 ev:one         p:vendor       evidence on inc:one
 *   13 clm:gov-one    p:gov          claim inc:one -> act:group, confidence 85
 *   14 clm:vendor-one p:vendor       claim inc:one -> act:group, confidence 70
 *   15 clm:quoted-one p:cur          TRANSCRIBED claim by p:quoted: inc:one -> act:unit
 *   16 op:endorse     p:vendor       opinion AGREE on clm:gov-one
 *   17 clm:vendor-two p:vendor       claim inc:two -> act:group
 *   18 ret:vendor-one p:vendor       retraction of clm:vendor-one
 *   19 inc:one@v2     p:gov          revision of inc:one
 *   20 fnd:one        p:body         finding on inc:one: act:group
 *   21 vote:one       p:panel        APPROVE on fnd:one's digest
 * All timestamps are fixed (ATTRLEDGER_FAKE_TIME_MS), so two worlds built
 * from the same seeds are identical byte for byte.
 */
#ifndef TU_WORLD_H
#define TU_WORLD_H

#include <stddef.h>

#include "attrledger/attrledger.h"

#define TU_WORLD_ORIGIN "test.example/ledger"
#define TU_WORLD_SIZE 22
#define TU_WORLD_KEYS 8

typedef struct {
    char *dir;
    ledger_log *log;
    ledger_key *log_key;
    ledger_vkey log_vkey;
    ledger_key
        *keys[TU_WORLD_KEYS]; /* p:admin, p:gov, p:vendor, p:cur, p:quoted, p:body, p:panel */
} tu_world;

/* Build the world in a new temp directory (cmocka asserts on failure). */
void tu_world_create(tu_world *w);
/* Sign a JSON record with the key of `author` (and, if not NULL, of
 * `cosigner`) and submit it as one batch. Returns the entry index. */
uint64_t tu_world_submit(tu_world *w, const char *json, const char *author, const char *cosigner);
/* The key of a participant id, or NULL. */
ledger_key *tu_world_key(tu_world *w, const char *id);
void tu_world_free(tu_world *w);

/* A growable output buffer usable as a ledger_write_fn payload. */
typedef struct {
    uint8_t *data;
    size_t len, cap;
} tu_sink;
int tu_sink_write(void *payload, const uint8_t *data, size_t len);
void tu_sink_free(tu_sink *s);

/* Audit a trail held in memory (ledger_audit_* line by line); returns the
 * code and fills *rep. */
int tu_audit_trail(const uint8_t *data, size_t len, const ledger_vkey *vk,
                   ledger_audit_report *rep);

#endif
