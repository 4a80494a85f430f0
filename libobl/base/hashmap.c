/*
 * hashmap.c - open addressing over (hash, item) pairs (see hashmap.h). Growing moves the
 * pairs by their stored hashes: the keys are never looked at again.
 */
#include "hashmap.h"

#include <assert.h>
#include <stdlib.h>

/* The slot of the item sought, or the empty slot where it would go. */
static struct obl_hashmap_slot *slot_of(const struct obl_hashmap *m, uint64_t hash,
					obl_hashmap_equal equal, const void *ctx)
{
	assert(m->size && !(m->size & (m->size - 1))); /* a power of two */
	assert(m->used < m->size);                     /* an empty slot ends every probe */
	size_t mask = m->size - 1;
	for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
		struct obl_hashmap_slot *s = &m->slots[i];
		if (!s->item || (s->hash == hash && equal(ctx, s->item - 1)))
			return s;
	}
}

size_t obl_hashmap_get(const struct obl_hashmap *m, uint64_t hash, obl_hashmap_equal equal,
		       const void *ctx)
{
	if (!m->size)
		return OBL_HASHMAP_NONE;
	const struct obl_hashmap_slot *s = slot_of(m, hash, equal, ctx);
	return s->item ? s->item - 1 : OBL_HASHMAP_NONE;
}

int obl_hashmap_reserve(struct obl_hashmap *m, size_t n)
{
	if (2 * n <= m->size)
		return 0;
	size_t size = m->size ? m->size : 64;
	while (size < 2 * n)
		size *= 2;
	struct obl_hashmap_slot *slots = calloc(size, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < m->size; i++) {
		const struct obl_hashmap_slot *old = &m->slots[i];
		if (!old->item)
			continue;
		size_t k = (size_t)old->hash & (size - 1);
		while (slots[k].item)
			k = (k + 1) & (size - 1);
		slots[k] = *old;
	}
	free(m->slots);
	m->slots = slots;
	m->size = size;
	return 0;
}

size_t obl_hashmap_put(struct obl_hashmap *m, uint64_t hash, size_t item, obl_hashmap_equal equal,
		       const void *ctx)
{
	if (obl_hashmap_reserve(m, m->used + 1))
		return OBL_HASHMAP_NONE;
	struct obl_hashmap_slot *s = slot_of(m, hash, equal, ctx);
	if (s->item)
		return s->item - 1;
	*s = (struct obl_hashmap_slot){ hash, item + 1 };
	m->used++;
	return item;
}

void obl_hashmap_free(struct obl_hashmap *m)
{
	free(m->slots);
	*m = (struct obl_hashmap){ 0 };
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDu;
	return h ^ h >> 29;
}

uint64_t obl_hash_bytes(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ s[i]) * 1099511628211u;
	return mix(h);
}

uint64_t obl_hash_words(uint64_t a, uint64_t b)
{
	return mix(a * 0x9E3779B97F4A7C15u ^ b * 0xC2B2AE3D27D4EB4Fu);
}
