/*
 * codec_int.h (internal to the codec module: codec.c, codec_record.c) -
 * the decoded record behind lg_record. Nothing else includes this file or
 * any *.pb-c.h header.
 */
#ifndef LG_CODEC_INT_H
#define LG_CODEC_INT_H

#include "attrledger/v1/ledger.pb-c.h"

struct lg_record {
    Attrledger__V1__Record *msg;
};

#endif
