/*
 * fuzz_tiles.c - C2SP tlog-tiles paths (lg_tile_parse).
 *
 * Invariant: parsing is strict, so a path that parses is exactly the path
 * lg_tile_path() formats for the parsed tile.
 */
#include <string.h>

#include "fuzz.h"
#include "tlog/tiles.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lg_tile t;
    char path[LG_TILE_PATH_MAX];

    fuzz_init();
    if (lg_tile_parse(&t, (const char *)data, size) == 0) {
        fuzz_check(lg_tile_path(path, sizeof path, &t) == 0);
        fuzz_check(strlen(path) == size && memcmp(path, data, size) == 0);
    }
    return 0;
}
