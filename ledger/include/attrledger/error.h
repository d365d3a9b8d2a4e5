/*
 * error.h - error codes and the last-error message.
 *
 * Every public function returns an int: 0 on success or one of the negative
 * ledger_err codes. The function that finds a problem sets a one-line message
 * (lowercase, naming the bad value or position) in thread-local storage;
 * callers pass the code up unchanged and read the message once, at the top.
 */
#ifndef ATTRLEDGER_ERROR_H
#define ATTRLEDGER_ERROR_H

#include "common.h"

typedef enum {
    LEDGER_OK = 0,
    LEDGER_ERROR = -1,      /**< generic; see the message */
    LEDGER_EINVAL = -2,     /**< invalid argument (programmer error or bad option) */
    LEDGER_ENOMEM = -3,     /**< out of memory */
    LEDGER_EIO = -4,        /**< file or store I/O failed */
    LEDGER_EFORMAT = -5,    /**< malformed input: note, proof, protobuf, JSON, base64 */
    LEDGER_ENOTFOUND = -6,  /**< no such entry, record, key or file */
    LEDGER_EEXISTS = -7,    /**< already exists (file, ledger, conflicting record_id) */
    LEDGER_EBUSY = -8,      /**< another process holds the write lock */
    LEDGER_EBADSIG = -9,    /**< a signature did not verify */
    LEDGER_EPROOF = -10,    /**< inclusion or consistency proof rejected */
    LEDGER_ECORRUPT = -11,  /**< the stored ledger is damaged or forged */
    LEDGER_EFULL = -12,     /**< store map full */
    LEDGER_EPASSPHRASE = -13, /**< wrong passphrase for a key file */
    LEDGER_EVERSION = -14,  /**< unsupported format version */
    LEDGER_EREADONLY = -15, /**< handle opened read-only */
    LEDGER_EPOLICY = -16    /**< the ledger's policy rejects the record */
} ledger_err;

/**
 * What kind of policy refusal a LEDGER_EPOLICY is, set by the rule book
 * itself (a server maps it to a status without reading the message:
 * who signed is 403, a rule of the body is 422).
 */
typedef enum {
    LEDGER_REFUSAL_NONE = 0,       /**< not a policy refusal */
    LEDGER_REFUSAL_RULE = 1,       /**< a rule of the body (references, revisions, votes, ...) */
    LEDGER_REFUSAL_UNKNOWN_KEY = 2, /**< a signature by a key the ledger does not know */
    LEDGER_REFUSAL_REVOKED_KEY = 3, /**< a signature by a revoked key */
    LEDGER_REFUSAL_NOT_AUTHORIZED = 4 /**< author not registered, did not sign, or lacks the role */
} ledger_refusal;

/** The last error of this thread: its code and one-line message. */
typedef struct {
    int code;           /**< a ledger_err value, LEDGER_OK when none */
    char message[256];  /**< NUL-terminated; empty when none */
    int refusal;        /**< a ledger_refusal: RULE by default for LEDGER_EPOLICY, else NONE */
} ledger_error;

/**
 * The last error set on this thread.
 *
 * @return a pointer to thread-local storage, valid until the next library
 *         call on this thread; never NULL.
 */
LEDGER_API const ledger_error *ledger_error_last(void);

/** Clear the last error of this thread. */
LEDGER_API void ledger_error_clear(void);

/**
 * Static text for an error code, like mdb_strerror().
 *
 * @return a string that is never NULL and never freed.
 */
LEDGER_API const char *ledger_strerror(int code);

/**
 * Make untrusted text safe to print on a terminal, on one line: C0 controls
 * (newline and tab included), DEL and invalid UTF-8 become \xHH; C1
 * controls, bidirectional marks, embeddings, overrides and isolates, and
 * the line and paragraph separators become \u{XXXX}. Library messages are
 * already escaped; this is for text a program adds (file names, input).
 *
 * @param dst  where to write, NUL-terminated (NULL or cap 0: only measure);
 *             text that does not fit is cut at a character and ends with an
 *             ellipsis (U+2026)
 * @return the length the whole escaped text needs, without the NUL
 */
LEDGER_API size_t ledger_text_escape(char *dst, size_t cap, const char *s);

#endif
