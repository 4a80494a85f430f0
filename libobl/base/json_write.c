/*
 * json_write.c - laying out a cJSON tree (see json_write.h). Strings and keys are printed by
 * cJSON (cJSON_PrintPreallocated on the item, or on a string item made on the stack for a
 * key), numbers are raw items, and the walk adds only brackets, commas and indentation.
 */
#include "json_write.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

cJSON *obl_json_new_number(double v)
{
	if (!isfinite(v))
		return cJSON_CreateNull();
	char text[OBL_DOUBLE_TEXT];
	return cJSON_CreateRaw(obl_double_text(v, text));
}

/* The tree is marked failed by an object member of this key (never printed). */
static const char failed_key[] = "\x01obl-json-failed";

cJSON *obl_json_add(cJSON *object, const char *key, cJSON *item)
{
	if (!item) {
		cJSON *mark = cJSON_CreateNull();
		if (mark)
			cJSON_AddItemToObject(object, failed_key, mark);
		return NULL;
	}
	if (cJSON_IsArray(object))
		cJSON_AddItemToArray(object, item);
	else
		cJSON_AddItemToObject(object, key, item);
	return item;
}

/* A string cJSON can print as valid JSON: a byte that is not part of valid UTF-8 becomes the
 * character of the same number (U+0080 to U+00FF), as the \u00XX escape said before. NULL
 * when s is valid already (or out of memory: then *failed is set). */
static char *valid_utf8(const char *s, int *failed)
{
	const char *end = s + strlen(s), *p = s;
	uint32_t cp;
	size_t n = 1;
	*failed = 0;
	while (p < end && (n = obl_utf8_decode(p, (size_t)(end - p), &cp)))
		p += n;
	if (p == end)
		return NULL;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	obl_strbuf_add(&sb, s, (size_t)(p - s));
	while (p < end) {
		n = obl_utf8_decode(p, (size_t)(end - p), &cp);
		char enc[4];
		if (n)
			obl_strbuf_add(&sb, p, n);
		else
			obl_strbuf_add(&sb, enc, obl_utf8_encode((unsigned char)*p, enc));
		p += n ? n : 1;
	}
	*failed = obl_strbuf_failed(&sb);
	return obl_strbuf_detach(&sb, NULL);
}

void obl_json_add_string(cJSON *object, const char *key, const char *s)
{
	int failed;
	char *fixed = s ? valid_utf8(s, &failed) : NULL;
	if (s && failed) {
		free(fixed);
		obl_json_add(object, key, NULL);
		return;
	}
	obl_json_add(object, key, !s ? cJSON_CreateNull() : cJSON_CreateString(fixed ? fixed : s));
	free(fixed);
}

void obl_json_add_number(cJSON *object, const char *key, double v)
{
	obl_json_add(object, key, obl_json_new_number(v));
}

void obl_json_add_count(cJSON *object, const char *key, size_t n)
{
	char text[32];
	snprintf(text, sizeof text, "%zu", n);
	obl_json_add(object, key, cJSON_CreateRaw(text));
}

void obl_json_add_bool(cJSON *object, const char *key, int b)
{
	obl_json_add(object, key, cJSON_CreateBool(b));
}

/* A string as cJSON escapes it, quotes included. */
static int add_string(struct obl_strbuf *out, const char *s)
{
	cJSON item;
	memset(&item, 0, sizeof item);
	item.type = cJSON_String;
	item.valuestring = (char *)s;
	char small[256];
	size_t need = 6 * strlen(s) + 8; /* \uXXXX per byte at most, quotes, cJSON's margin */
	char *buf = need <= sizeof small ? small : malloc(need);
	if (!buf || !cJSON_PrintPreallocated(&item, buf, (int)need, 0)) {
		if (buf != small)
			free(buf);
		return -1;
	}
	obl_strbuf_addstr(out, buf);
	if (buf != small)
		free(buf);
	return 0;
}

static void indent(struct obl_strbuf *out, int depth)
{
	obl_strbuf_addch(out, '\n');
	for (int i = 0; i < depth; i++)
		obl_strbuf_addstr(out, "  ");
}

static int scalar(const cJSON *item)
{
	return !cJSON_IsObject(item) && !cJSON_IsArray(item);
}

static int print_item(struct obl_strbuf *out, const cJSON *item, int depth,
		      const struct obl_json_stream *stream);

/* The items of a streamed array, made, printed and freed one at a time. */
static int print_stream(struct obl_strbuf *out, const struct obl_json_stream *s, int depth)
{
	obl_strbuf_addch(out, '[');
	int rc = 0;
	for (size_t i = 0; i < s->n && !rc; i++) {
		cJSON *item = s->next(s->ctx, i);
		if (i)
			obl_strbuf_addch(out, ',');
		indent(out, depth + 1);
		rc = item ? print_item(out, item, depth + 1, NULL) : -1;
		cJSON_Delete(item);
	}
	if (s->n)
		indent(out, depth);
	obl_strbuf_addch(out, ']');
	return rc;
}

static int print_item(struct obl_strbuf *out, const cJSON *item, int depth,
		      const struct obl_json_stream *stream)
{
	if (cJSON_IsRaw(item)) {
		obl_strbuf_addstr(out, item->valuestring);
		return 0;
	}
	if (cJSON_IsString(item))
		return add_string(out, item->valuestring);
	if (cJSON_IsNull(item) || cJSON_IsBool(item)) {
		obl_strbuf_addstr(out, cJSON_IsNull(item) ? "null" : cJSON_IsTrue(item) ? "true"
											: "false");
		return 0;
	}
	int object = cJSON_IsObject(item), inline_items = !object;
	for (const cJSON *c = item->child; c; c = c->next)
		inline_items &= scalar(c);
	obl_strbuf_addch(out, object ? '{' : '[');
	int rc = 0;
	for (const cJSON *c = item->child; c && !rc; c = c->next) {
		if (object && !strcmp(c->string, failed_key))
			return -1;
		if (c != item->child)
			obl_strbuf_addch(out, ',');
		if (inline_items)
			obl_strbuf_addstr(out, c != item->child ? " " : "");
		else
			indent(out, depth + 1);
		if (object) {
			rc = add_string(out, c->string);
			obl_strbuf_addstr(out, ": ");
		}
		if (!rc && object && stream && !strcmp(c->string, stream->key))
			rc = print_stream(out, stream, depth + 1);
		else if (!rc)
			rc = print_item(out, c, depth + 1, stream);
	}
	if (item->child && !inline_items)
		indent(out, depth);
	obl_strbuf_addch(out, object ? '}' : ']');
	return rc;
}

int obl_json_print_stream(struct obl_strbuf *out, const cJSON *root,
			  const struct obl_json_stream *stream)
{
	int rc = root ? print_item(out, root, 0, stream) : -1;
	obl_strbuf_addch(out, '\n');
	if (rc)
		out->failed = 1;
	return rc;
}

int obl_json_print(struct obl_strbuf *out, const cJSON *root)
{
	return obl_json_print_stream(out, root, NULL);
}
