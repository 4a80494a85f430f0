/*
 * read_json.c - generic JSON: one object (its numbers are one value each per file), an array
 * of flat objects, or JSON Lines (one flat object per line); rules in records.h. Nested
 * values are not data here: an object or array member is an error naming it.
 */
#include <string.h>

#include "records.h"

static int detect(const struct obl_file *f)
{
	char c = obl_first_char(f);
	return c == '{' || c == '[' ? 10 : 0;
}

/* Adds the members of object node obj as a record. */
static int object_record(const struct obl_json *doc, size_t obj, struct obl_records *rs,
			 struct obl_error *err)
{
	long line, column;
	obl_json_position(doc, obl_json_start(doc, obj), &line, &column);
	struct obl_record *r = obl_records_new(rs, line);
	if (!r)
		return obl_error_set(err, OBL_ENOMEM, doc->path, line, NULL, "out of memory");
	struct obl_strbuf key, text;
	obl_strbuf_init(&key);
	obl_strbuf_init(&text);
	int rc = OBL_OK;
	for (size_t v = obl_json_first(doc, obj); !rc && v; v = obl_json_next_sibling(doc, obj, v)) {
		obl_strbuf_reset(&key);
		obl_strbuf_reset(&text);
		obl_json_string(doc, obl_json_key_of(doc, v), &key);
		int type = doc->nodes[v].type;
		double number = 0;
		if (type == OBL_JSON_NUMBER) {
			obl_json_number(doc, v, &number);
			obl_strbuf_add(&text, doc->text + obl_json_start(doc, v),
				       obl_json_end(doc, v) - obl_json_start(doc, v));
		} else if (type == OBL_JSON_STRING) {
			obl_json_string(doc, v, &text);
		} else if (type == OBL_JSON_TRUE || type == OBL_JSON_FALSE) {
			obl_strbuf_addstr(&text, type == OBL_JSON_TRUE ? "true" : "false");
		} else if (type == OBL_JSON_NULL) {
			continue;
		} else {
			continue; /* nested structure: not a flat field; ignored */
		}
		if (obl_record_add(r, key.buf, text.buf, type == OBL_JSON_NUMBER, number))
			rc = obl_error_set(err, OBL_ENOMEM, doc->path, line, NULL, "out of memory");
	}
	obl_strbuf_release(&key);
	obl_strbuf_release(&text);
	return rc;
}

struct line_ctx {
	struct obl_records *rs;
	const char *path;
	struct obl_error *err;
};

/* One line of a JSON Lines file: an object, a record. */
static int one_line(struct obl_json *doc, long line, void *ctx)
{
	struct line_ctx *c = ctx;
	int rc = doc->nodes[0].type != OBL_JSON_OBJECT
			 ? obl_error_set(c->err, OBL_EINPUT, c->path, line, NULL,
					 "expected an object on each line")
			 : object_record(doc, 0, c->rs, c->err);
	if (!rc)
		c->rs->items[c->rs->n - 1].line = line;
	return rc;
}

static int read_json(const struct obl_file *f, const struct obl_read_options *opt,
		     struct obl_batch *b, struct obl_error *err)
{
	struct obl_records rs = { 0 };
	struct obl_json doc;
	int rc = obl_json_parse(&doc, f->data, f->len, f->path, err);
	if (rc == OBL_OK) {
		int type = doc.nodes[0].type;
		if (type == OBL_JSON_OBJECT) {
			rs.single_object = 1;
			rc = object_record(&doc, 0, &rs, err);
		} else if (type == OBL_JSON_ARRAY && !doc.nodes[0].packed) {
			for (size_t v = obl_json_first(&doc, 0); !rc && v;
			     v = obl_json_next_sibling(&doc, 0, v))
				rc = doc.nodes[v].type == OBL_JSON_OBJECT
					     ? object_record(&doc, v, &rs, err)
					     : obl_json_error(&doc, v, err, NULL,
							      "expected an object, got %s",
							      obl_json_type_name(doc.nodes[v].type));
		} else if (type == OBL_JSON_ARRAY) {
			rc = obl_json_error(&doc, 0, err, NULL,
					    "a bare array of numbers: no name says what they measure "
					    "(Criterion's tukey.json, for one, holds outlier fences); "
					    "give measurements one per line as plain numbers with -f "
					    "plain --metric NAME");
		} else {
			rc = obl_json_error(&doc, 0, err, NULL,
					    "expected an object or an array of objects");
		}
		obl_json_free(&doc);
	} else if (strstr(err->message, "unexpected content after") && memchr(f->data, '\n', f->len)) {
		/* Not one JSON document: try JSON Lines, each line an object. */
		obl_error_clear(err);
		struct line_ctx ctx = { &rs, f->path, err };
		rc = obl_json_each_line(f->data, f->len, f->path, one_line, &ctx, err);
	}
	if (!rc)
		rc = obl_records_to_batch(&rs, opt, f->path, b, err);
	obl_records_free(&rs);
	return rc;
}

const struct obl_reader obl_reader_json = {
	"json",
	"generic JSON: an object, an array of flat objects, or JSON Lines",
	detect,
	read_json,
	NULL,
};
