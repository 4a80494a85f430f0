/*
 * test_hashmap.c - the hash map (base/hashmap.c): every item put is found under its key, absent
 * keys are not, a second put returns the first item, and the table grows and stays half full.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "check.h"

static char (*keys)[16];

static int same_key(const void *ctx, size_t item)
{
	return !strcmp(keys[item], ctx);
}

static uint64_t hash_of(const char *s)
{
	return obl_hash_bytes(s, strlen(s));
}

int main(void)
{
	enum { N = 100000 };
	keys = malloc(N * sizeof *keys);
	if (!keys)
		return 1;
	struct obl_hashmap m = { 0 };
	check(obl_hashmap_get(&m, hash_of("x"), same_key, "x") == OBL_HASHMAP_NONE,
	      "hashmap: an empty table finds nothing");
	int all_added = 1;
	for (size_t i = 0; i < N; i++) {
		snprintf(keys[i], sizeof keys[i], "key%zu", i);
		all_added &= obl_hashmap_put(&m, hash_of(keys[i]), i, same_key, keys[i]) == i;
	}
	check(all_added && m.used == N, "hashmap: %d distinct keys added (used = %zu)", N, m.used);
	check(m.size >= 2 * (size_t)N && (m.size & (m.size - 1)) == 0,
	      "hashmap: at most half full, a power of two (%zu slots)", m.size);
	int all_found = 1;
	for (size_t i = 0; i < N; i++) {
		char copy[16];
		memcpy(copy, keys[i], sizeof copy);
		all_found &= obl_hashmap_get(&m, hash_of(copy), same_key, copy) == i;
	}
	check(all_found, "hashmap: every key found, with its item");
	check(obl_hashmap_get(&m, hash_of("key100000"), same_key, "key100000") == OBL_HASHMAP_NONE &&
		      obl_hashmap_get(&m, hash_of("key"), same_key, "key") == OBL_HASHMAP_NONE,
	      "hashmap: absent keys and prefixes are not found");
	check(obl_hashmap_put(&m, hash_of("key5"), 999, same_key, "key5") == 5 && m.used == N,
	      "hashmap: a second put returns the first item and adds nothing");
	check(obl_hash_words(1, 2) != obl_hash_words(2, 1) &&
		      obl_hash_bytes("abc", 3) != obl_hash_bytes("abd", 3),
	      "hashmap: hashes tell different keys apart");
	obl_hashmap_free(&m);
	free(keys);
	return check_failures != 0;
}
