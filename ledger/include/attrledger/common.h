/*
 * common.h - shared definitions of the attrledger public API.
 *
 * Every public header includes this one. It defines the export macro, the
 * library version and the sizes that appear in the formats (docs/FORMATS.md;
 * the parts behind it: docs/ARCHITECTURE.md): hashes are SHA-256, keys are Ed25519.
 */
#ifndef ATTRLEDGER_COMMON_H
#define ATTRLEDGER_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define LEDGER_API __attribute__((visibility("default")))
/** Marks functions whose result must be checked (verifiers, parsers). */
#define LEDGER_NODISCARD __attribute__((warn_unused_result))
#else
#define LEDGER_API
#define LEDGER_NODISCARD
#endif

#define LEDGER_VERSION_MAJOR 0
#define LEDGER_VERSION_MINOR 1
#define LEDGER_VERSION_PATCH 0
#define LEDGER_VERSION_STRING "0.1.0"

/** Size of every hash in the log: SHA-256 (RFC 6962 with SHA-256). */
#define LEDGER_HASH_SIZE 32
/** Ed25519 public key size (RFC 8032). */
#define LEDGER_PUBKEY_SIZE 32
/** Ed25519 signature size (RFC 8032). */
#define LEDGER_SIG_SIZE 64
/** Largest leaf (serialized LogEntry): the tlog-tiles entry-bundle limit. */
#define LEDGER_MAX_LEAF 65535
/** Longest key name / origin accepted anywhere, in bytes. */
#define LEDGER_NAME_MAX 255
/** Longest record_id / participant id accepted, in bytes. */
#define LEDGER_ID_MAX 255
/** Most hashes in any inclusion or consistency proof (uint64 tree sizes). */
#define LEDGER_PROOF_MAX 64

/**
 * Initialise the library (libsodium). Call once before anything else; it is
 * safe to call again.
 *
 * @return 0, or LEDGER_ERROR if the crypto library cannot start.
 */
LEDGER_API int ledger_init(void);

/** Versions of the library, of the formats it writes and of the libraries
 * it runs with (those linked, as they report themselves at run time). */
typedef struct {
    const char *library;   /**< LEDGER_VERSION_STRING */
    unsigned entry_format; /**< LogEntry.format_version of the leaves written */
    unsigned trail_format; /**< "version" of audit-trail headers */
    const char *libsodium;
    const char *lmdb; /**< e.g. "0.9.24" */
    const char *protobuf_c;
    const char *jansson;
} ledger_versions;

/** Fill *out (it holds pointers to static strings). libcurl, loaded only
 * when needed, reports its version through ledger_http_version_get(). */
LEDGER_API void ledger_versions_get(ledger_versions *out);

#endif
