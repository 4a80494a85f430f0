/*
 * hashmap.h - a map from keys to size_t values (open addressing, linear probing, power-of-two
 * tables kept at most half full), for lookups that must not be linear scans: series of a trial
 * by metric, trials of a batch by scenario, rows of the store by name.
 *
 * Keys are not copied: a key's bytes must stay valid and unchanged while it is in the map (the
 * strings of a batch, interned, do). A key of length 0 is an identity key: the pointer itself
 * is the key (two equal interned strings are one pointer), hashed by its address.
 */
#ifndef OBL_HASHMAP_H
#define OBL_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

struct obl_hashmap_slot {
	const void *key;        /* NULL: empty */
	size_t len;
	uint64_t hash;
	size_t value;
};

struct obl_hashmap {
	struct obl_hashmap_slot *slots;
	size_t size, n;         /* slots (0 or a power of two), keys held */
};

/* FNV-1a over the bytes, then mixed (splitmix64) so that low bits index a table. */
uint64_t obl_hash_bytes(const void *p, size_t len);

void obl_hashmap_init(struct obl_hashmap *m);
void obl_hashmap_release(struct obl_hashmap *m);

/* The value of key (len bytes; 0 for an identity key), or NULL if it is not in the map. The
 * pointer is valid until the next put. */
size_t *obl_hashmap_get(const struct obl_hashmap *m, const void *key, size_t len);

/* Adds key with value unless it is there already; returns the value's slot either way (so
 * that a caller can tell by *added, or read the value held), or NULL when out of memory. */
size_t *obl_hashmap_put(struct obl_hashmap *m, const void *key, size_t len, size_t value,
			int *added);

#endif
