/*
 * labels.h (internal) - plain words for the schema's enum values, for
 * people: "first-party" for PROVENANCE_FIRST_PARTY, "strategic level" for
 * ATTRIBUTION_LEVEL_STRATEGIC. One table (labels.c) serves every output
 * written for readers: the text views and the CSV exports. The JSON and
 * STIX outputs keep the enum names, which are the stable contract.
 */
#ifndef LG_LABELS_H
#define LG_LABELS_H

/*
 * The plain words for the proto3 JSON name of an enum value (the full
 * name, type prefix included). Every value of the schema has its words;
 * any *_UNSPECIFIED value reads "unspecified". A name the table does not
 * know (a value from a newer schema) is returned unchanged, so nothing is
 * dropped; NULL or "" gives "". The result is static or `name` itself.
 */
const char *lg_label(const char *name);

/*
 * The words for a value written without its type prefix (the tally's
 * "REDUCES_PANEL", a role's "MEMBER"): lg_label of prefix + value. Unknown
 * values are returned unchanged.
 */
const char *lg_label_of(const char *prefix, const char *value);

#endif
