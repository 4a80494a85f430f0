/*
 * json_write.h - JSON output through cJSON: the renderers build a cJSON tree (cJSON escapes
 * every string), and obl_json_print lays it out in obl's documented form: two-space
 * indentation, "key": value, arrays of numbers on one line ([low, high]), a newline at the end.
 *
 * Numbers are cJSON raw items holding obl_json_number's text, which reads back to the same
 * double (cJSON's own printing accepts 15 digits that come within an epsilon, which the JSON
 * contracts do not allow); a number that is not finite is null.
 */
#ifndef OBL_JSON_WRITE_H
#define OBL_JSON_WRITE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "strbuf.h"

/* A number item (NULL when out of memory): the shortest text that reads back to v, or null. */
cJSON *obl_json_new_number(double v);

/* Adds key: item to object; item NULL (out of memory) marks the tree failed. Returns item. */
cJSON *obl_json_add(cJSON *object, const char *key, cJSON *item);
/* Shorthands for obl_json_add of a string (NULL: null), a number, a count and a boolean. */
void obl_json_add_string(cJSON *object, const char *key, const char *s);
void obl_json_add_number(cJSON *object, const char *key, double v);
void obl_json_add_count(cJSON *object, const char *key, size_t n);
void obl_json_add_bool(cJSON *object, const char *key, int b);

/* Appends the tree to out in obl's layout, then a newline. Returns 0, or -1 when the tree is
 * incomplete (an item could not be made: out of memory); out is then marked failed. */
int obl_json_print(struct obl_strbuf *out, const cJSON *root);

/* A long array printed one item at a time (made by next(ctx, i), printed, freed), so that the
 * tree of a comparison of thousands of rows never exists whole: the member named key of the
 * root (an empty array there, holding its place) is printed from next instead. next returns
 * NULL when out of memory. */
struct obl_json_stream {
	const char *key;
	size_t n;
	cJSON *(*next)(void *ctx, size_t i);
	void *ctx;
};
int obl_json_print_stream(struct obl_strbuf *out, const cJSON *root,
			  const struct obl_json_stream *stream);

#endif
