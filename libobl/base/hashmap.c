/*
 * hashmap.c - open addressing with linear probing (see hashmap.h).
 */
#include "hashmap.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

uint64_t obl_hash_bytes(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return mix(h);
}

static uint64_t hash_key(const void *key, size_t len)
{
	return len ? obl_hash_bytes(key, len) : mix((uint64_t)(uintptr_t)key);
}

void obl_hashmap_init(struct obl_hashmap *m)
{
	m->slots = NULL;
	m->size = m->n = 0;
}

void obl_hashmap_release(struct obl_hashmap *m)
{
	free(m->slots);
	obl_hashmap_init(m);
}

static struct obl_hashmap_slot *find(const struct obl_hashmap *m, const void *key, size_t len,
				     uint64_t hash)
{
	for (size_t i = (size_t)hash & (m->size - 1);; i = (i + 1) & (m->size - 1)) {
		struct obl_hashmap_slot *s = &m->slots[i];
		if (!s->key)
			return s;
		if (s->hash == hash && s->len == len &&
		    (len ? !memcmp(s->key, key, len) : s->key == key))
			return s;
	}
}

size_t *obl_hashmap_get(const struct obl_hashmap *m, const void *key, size_t len)
{
	if (!m->n)
		return NULL;
	struct obl_hashmap_slot *s = find(m, key, len, hash_key(key, len));
	return s->key ? &s->value : NULL;
}

static int grow(struct obl_hashmap *m)
{
	size_t size = m->size ? 2 * m->size : 16;
	if (size < m->size)
		return 0;
	struct obl_hashmap_slot *old = m->slots, *slots = calloc(size, sizeof *slots);
	if (!slots)
		return 0;
	size_t old_size = m->size;
	m->slots = slots;
	m->size = size;
	for (size_t i = 0; i < old_size; i++)
		if (old[i].key)
			*find(m, old[i].key, old[i].len, old[i].hash) = old[i];
	free(old);
	return 1;
}

size_t *obl_hashmap_put(struct obl_hashmap *m, const void *key, size_t len, size_t value,
			int *added)
{
	if (2 * (m->n + 1) > m->size && !grow(m))
		return NULL;
	uint64_t hash = hash_key(key, len);
	struct obl_hashmap_slot *s = find(m, key, len, hash);
	if (added)
		*added = !s->key;
	if (!s->key) {
		*s = (struct obl_hashmap_slot){ key, len, hash, value };
		m->n++;
	}
	return &s->value;
}
