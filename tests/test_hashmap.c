/*
 * test_hashmap.c - the hash map: every item put is found by its key, absent keys are not, a
 * second put of an equal key returns the first item, colliding hashes are told apart by the
 * caller's equality, and the table grows and stays at most half full.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "check.h"

enum { N = 100000 };
static char (*keys)[16];

static int key_equal(const void *ctx, size_t item)
{
	return !strcmp(ctx, keys[item]);
}

static uint64_t hash_of(const char *s)
{
	return obl_hash_bytes(s, strlen(s));
}

static int always_equal_hash_items(const void *ctx, size_t item)
{
	return *(const size_t *)ctx == item;
}

int main(void)
{
	keys = malloc(N * sizeof *keys);
	if (!keys)
		return 1;
	struct obl_hashmap m = { 0 };
	check(obl_hashmap_get(&m, hash_of("x"), key_equal, "x") == OBL_HASHMAP_NONE,
	      "hashmap: an empty map finds nothing");
	int all_added = 1;
	for (size_t i = 0; i < N; i++) {
		snprintf(keys[i], sizeof keys[i], "key%zu", i);
		all_added &= obl_hashmap_put(&m, hash_of(keys[i]), i, key_equal, keys[i]) == i;
	}
	check(all_added && m.used == N, "hashmap: %d distinct keys added (used = %zu)", N, m.used);
	check(m.size >= 2 * (size_t)N && (m.size & (m.size - 1)) == 0,
	      "hashmap: at most half full, a power of two (%zu slots)", m.size);
	int all_found = 1;
	for (size_t i = 0; i < N; i++) {
		char copy[16]; /* equal bytes at another address: found by content */
		memcpy(copy, keys[i], sizeof copy);
		all_found &= obl_hashmap_get(&m, hash_of(copy), key_equal, copy) == i;
	}
	check(all_found, "hashmap: every key found by its bytes, as its item");
	check(obl_hashmap_get(&m, hash_of("key100000"), key_equal, "key100000") ==
			      OBL_HASHMAP_NONE &&
		      obl_hashmap_get(&m, hash_of("key1") ^ 1, key_equal, "key1") == OBL_HASHMAP_NONE,
	      "hashmap: absent keys, and a present key under another hash, are not found");
	check(obl_hashmap_put(&m, hash_of("key5"), 999, key_equal, "key5") == 5 && m.used == N,
	      "hashmap: a second put of an equal key returns the first item");
	obl_hashmap_free(&m);
	check(m.slots == NULL && m.size == 0 && m.used == 0, "hashmap: freed, it is empty again");

	/* Items whose hashes all collide are told apart by the equality alone. */
	int collide_ok = 1;
	for (size_t i = 0; i < 100; i++)
		collide_ok &= obl_hashmap_put(&m, 42, i, always_equal_hash_items, &i) == i;
	for (size_t i = 0; i < 100; i++)
		collide_ok &= obl_hashmap_get(&m, 42, always_equal_hash_items, &i) == i;
	check(collide_ok && m.used == 100, "hashmap: 100 items under one hash stay apart");
	obl_hashmap_free(&m);
	check(obl_hash_bytes("abc", 3) == obl_hash_bytes("abc", 3) &&
		      obl_hash_bytes("abc", 3) != obl_hash_bytes("abd", 3) &&
		      obl_hash_words(1, 2) != obl_hash_words(2, 1),
	      "hashmap: the hashes are functions of their bytes and words, in order");
	free(keys);
	return check_failures != 0;
}
