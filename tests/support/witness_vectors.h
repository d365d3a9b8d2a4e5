/*
 * witness_vectors.h - the self-derived witness vectors of
 * reference/tlog-test-vectors.md section 10 (log key, checkpoint of size 8,
 * the consistency proof 6 -> 8 and the add-checkpoint request of 10.4),
 * shared by test_witness.c and test_witness_proto.c.
 */
#ifndef TEST_WITNESS_VECTORS_H
#define TEST_WITNESS_VECTORS_H

/* 10.1 - 10.5 */
#define LOG_VKEY "example.org/log+0714fd3d+AdBKsjJ0K7SrOhNovUYV5ObQIkq3GgFrr4UgozLJd4c3"
#define W1_VKEY "witness.example.org/w1+cfcd1a67+BAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"
#define CP8_BODY "example.org/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
#define ROOT6 "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8="
#define CP8_LOG_SIG                                                                                \
    "\xe2\x80\x94 example.org/log "                                                                \
    "BxT9PVy9PqG6P3m6QIQcfaYYOJewCbAyvjBEOSgFtdQtbDjSrSs73rubAdK2HEafaTrru3rlST9X05g38HtND99qHwo=" \
    "\n"
#define CP8_W1_SIG                                                                                 \
    "\xe2\x80\x94 witness.example.org/w1 "                                                         \
    "z80aZwAAAABlU/EAMq0zAyTIGPH31w8FnVHS9Vy2lZBjaytZqF0ma7YabQL0QQSG5yrNrh3cHH672sdiV3jniQY0J4sS" \
    "emWdGuhjDg==\n"
#define CP8_NOTE CP8_BODY "\n" CP8_LOG_SIG
#define PROOF_6_8                                                                                  \
    "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=\n"                                               \
    "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=\n"                                               \
    "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=\n"
#define REQ_10_4 "old 6\n" PROOF_6_8 "\n" CP8_NOTE
#endif
