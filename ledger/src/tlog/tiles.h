/*
 * tiles.h (internal) - C2SP tlog-tiles addressing (tile height 8). Pure.
 *
 * A tile at level L holds up to 256 consecutive hashes of tree height 8L:
 * level-0 tiles hold leaf hashes, and hash i of level-L tile N is
 * MTH(D[(256N + i) * 256^L : (256N + i + 1) * 256^L]). An entry bundle N
 * holds the entries whose leaf hashes make up level-0 tile N.
 *
 * Paths (relative to the log's URL prefix):
 *   tile/<L>/<N>[.p/<W>]        Merkle tile, L = 0..63 in decimal
 *   tile/entries/<N>[.p/<W>]    entry bundle
 * N is written in groups of three zero-padded digits, every group but the
 * last prefixed with 'x' (1234067 -> x001/x234/067, 5 -> 005). ".p/<W>"
 * marks a partial tile of W = 1..255 hashes; a full tile (256) has none.
 *
 * Spec: C2SP tlog-tiles v0.1.0; reference/transparency-formats.md 2.7.
 */
#ifndef LG_TILES_H
#define LG_TILES_H

#include <stddef.h>
#include <stdint.h>

#define LG_TILE_HEIGHT 8  /* tree levels per tile level */
#define LG_TILE_WIDTH 256 /* hashes in a full tile: 1 << LG_TILE_HEIGHT */
#define LG_TILE_MAX_LEVEL 63
#define LG_TILE_ENTRIES (-1) /* lg_tile.level of an entry bundle */

/* Room for the longest path and its NUL:
 * "tile/entries/x018/x446/x744/x073/x709/x551/615.p/255" is 52 bytes. */
#define LG_TILE_PATH_MAX 64

/* One tile or entry bundle. */
typedef struct {
    int level;      /* 0..LG_TILE_MAX_LEVEL, or LG_TILE_ENTRIES */
    uint64_t index; /* N: position of the tile within its level */
    unsigned width; /* 1..LG_TILE_WIDTH; LG_TILE_WIDTH is a full tile */
} lg_tile;

/*
 * Format the path of a tile or entry bundle, e.g. "tile/0/x001/x234/067" or
 * "tile/entries/003.p/17".
 *
 * @param[out] out  NUL-terminated path; LG_TILE_PATH_MAX bytes always suffice
 * @param[in]  cap  size of out
 * @param[in]  t    the tile
 * @return 0, or LEDGER_EINVAL (level or width out of range, cap too small).
 */
int lg_tile_path(char *out, size_t cap, const lg_tile *t);

/*
 * Parse a path produced by lg_tile_path. Strict: exactly the canonical
 * form is accepted (no leading zeros in L or W, three digits per group,
 * 'x' on every group but the last, no leading "x000" group, W 1..255,
 * N within uint64_t, nothing before "tile/" or after the last digit).
 *
 * @param[out] out   the tile (untouched on error)
 * @param[in]  path  the path bytes, untrusted; need not be NUL-terminated
 * @param[in]  len   length of path
 * @return 0, or LEDGER_EFORMAT (message names the byte offset).
 */
int lg_tile_parse(lg_tile *out, const char *path, size_t len);

/*
 * Which tiles exist at a level for a tree of `size` leaves: tiles
 * 0 .. *full_out - 1 are full, and if *partial_out is non-zero tile
 * *full_out is partial with that width (floor(size / 256^level) mod 256).
 * Both are 0 when the level is empty. LG_TILE_ENTRIES gives the entry
 * bundles, which follow level 0.
 *
 * @return 0, or LEDGER_EINVAL (level out of range).
 */
int lg_tile_count(uint64_t *full_out, unsigned *partial_out, uint64_t size, int level);

#endif
