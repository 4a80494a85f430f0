/*
 * test_hashmap.c - the hash map: every key put is found with its value, absent keys are not,
 * a second put keeps the first value, identity keys compare by address, and it grows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "check.h"

int main(void)
{
	enum { N = 100000 };
	char (*keys)[16] = malloc(N * sizeof *keys);
	if (!keys)
		return 1;
	struct obl_hashmap m;
	obl_hashmap_init(&m);
	check(obl_hashmap_get(&m, "x", 1) == NULL, "hashmap: an empty map finds nothing");
	int all_added = 1;
	for (size_t i = 0; i < N; i++) {
		snprintf(keys[i], sizeof keys[i], "key%zu", i);
		int added = 0;
		size_t *v = obl_hashmap_put(&m, keys[i], strlen(keys[i]), i * 7, &added);
		all_added &= v && added && *v == i * 7;
	}
	check(all_added && m.n == N, "hashmap: %d distinct keys added (n = %zu)", N, m.n);
	check(m.size >= 2 * (size_t)N && (m.size & (m.size - 1)) == 0,
	      "hashmap: at most half full, a power of two (%zu slots)", m.size);
	int all_found = 1;
	for (size_t i = 0; i < N; i++) {
		char copy[16]; /* equal bytes at another address: found by content */
		memcpy(copy, keys[i], sizeof copy);
		size_t *v = obl_hashmap_get(&m, copy, strlen(copy));
		all_found &= v && *v == i * 7;
	}
	check(all_found, "hashmap: every key found by its bytes, with its value");
	check(!obl_hashmap_get(&m, "key100000", 9) && !obl_hashmap_get(&m, "key1", 3),
	      "hashmap: absent keys and prefixes are not found");
	int added = 1;
	size_t *v = obl_hashmap_put(&m, "key5", 4, 999, &added);
	check(v && !added && *v == 35 && m.n == N, "hashmap: a second put keeps the first value");
	obl_hashmap_release(&m);

	/* identity keys: the pointer is the key */
	static const char a[] = "same", b[] = "same";
	obl_hashmap_put(&m, a, 0, 1, NULL);
	check(obl_hashmap_get(&m, a, 0) && *obl_hashmap_get(&m, a, 0) == 1 &&
		      obl_hashmap_get(&m, b, 0) == NULL,
	      "hashmap: identity keys compare by address, not content");
	check(obl_hash_bytes("abc", 3) == obl_hash_bytes("abc", 3) &&
		      obl_hash_bytes("abc", 3) != obl_hash_bytes("abd", 3),
	      "hashmap: the hash is a function of the bytes");
	obl_hashmap_release(&m);
	free(keys);
	return check_failures != 0;
}
