/*
 * hashmap.h - the one hash table of libobl: items of the caller's (indices into its own
 * array) found by a 64-bit hash of their key and the caller's test of equality.
 *
 * The table holds no keys, only (hash, item) pairs: the caller keeps its keys where they
 * already are (interned strings, trials, groups) and says how to compare one with an item.
 * Open addressing with linear probing, kept at most half full; the equality test runs only
 * when the stored hash equals the one sought. A zeroed struct is an empty table.
 */
#ifndef OBL_HASHMAP_H
#define OBL_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct obl_hashmap {
	struct obl_hashmap_slot {
		uint64_t hash;
		size_t item; /* the item + 1; 0: the slot is empty */
	} * slots;
	size_t size, used; /* size: a power of two, or 0 */
};

/* The equality of the key sought (ctx) and the key of an item. */
typedef int (*obl_hashmap_equal)(const void *ctx, size_t item);

/* The item whose key hashes to `hash` and equals ctx's, or OBL_HASHMAP_NONE. */
#define OBL_HASHMAP_NONE SIZE_MAX
size_t obl_hashmap_get(const struct obl_hashmap *m, uint64_t hash, obl_hashmap_equal equal,
		       const void *ctx);

/* The item found as obl_hashmap_get finds it; if there is none, `item` is added under hash
 * and returned. OBL_HASHMAP_NONE when out of memory (the table is unchanged). */
size_t obl_hashmap_put(struct obl_hashmap *m, uint64_t hash, size_t item, obl_hashmap_equal equal,
		       const void *ctx);

/* Room for n items in all without growing; 0, or -1 when out of memory. */
OBL_MUST_CHECK int obl_hashmap_reserve(struct obl_hashmap *m, size_t n);

/* Frees the slots; the table is empty again. */
void obl_hashmap_free(struct obl_hashmap *m);

/* Hashes: of bytes (FNV-1a, then mixed so that the low bits index a table), and of two
 * words (pointers of interned strings, ids), mixed the same way. */
uint64_t obl_hash_bytes(const void *p, size_t len);
uint64_t obl_hash_words(uint64_t a, uint64_t b);

#endif
