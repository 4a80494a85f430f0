/*
 * json.c - the iterative JSON parser with packed number arrays (see json.h).
 */
#include "json.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "utf8.h"

enum { MAX_DEPTH = 10000 };

const char *obl_json_type_name(int type)
{
	static const char *const names[] = { "null", "false", "true", "a number", "a string",
					     "an array", "an object" };
	return type >= 0 && type <= OBL_JSON_OBJECT ? names[type] : "?";
}

void obl_json_position(const struct obl_json *doc, size_t offset, long *line, long *column)
{
	long l = 1;
	size_t last = 0;
	for (size_t i = 0; i < offset && i < doc->len; i++)
		if (doc->text[i] == '\n') {
			l++;
			last = i + 1;
		}
	*line = l;
	*column = (long)(offset - last) + 1;
}

static int error_at(const struct obl_json *doc, size_t offset, struct obl_error *err,
		    const char *field, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	long line, column;
	obl_json_position(doc, offset, &line, &column);
	obl_error_set(err, OBL_EINPUT, doc->path, line, field, "%s", msg);
	obl_error_position(err, line, column, (long long)offset);
	return OBL_EINPUT;
}

int obl_json_error(const struct obl_json *doc, size_t node, struct obl_error *err,
		   const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t offset = node < doc->n ? obl_json_start(doc, node) : doc->len;
	int rc = error_at(doc, offset, err, field, fmt, ap);
	va_end(ap);
	return rc;
}

static int syntax_error(const struct obl_json *doc, size_t offset, struct obl_error *err,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int syntax_error(const struct obl_json *doc, size_t offset, struct obl_error *err,
			const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = error_at(doc, offset, err, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

static void set_end(struct obl_json_node *node, size_t end)
{
	node->end_low = (uint32_t)end;
	node->high = (uint8_t)((node->high & 15) | ((uint64_t)end >> 32 & 15) << 4);
}

static size_t add_node(struct obl_json *doc, int type, size_t start)
{
	if (doc->n == doc->alloc) {
		size_t want = doc->alloc ? doc->alloc * 2 : 256;
		struct obl_json_node *p = realloc(doc->nodes, want * sizeof *p);
		if (!p)
			return (size_t)-1;
		doc->nodes = p;
		doc->alloc = want;
	}
	struct obl_json_node *node = &doc->nodes[doc->n];
	memset(node, 0, sizeof *node);
	node->type = (uint8_t)type;
	node->start_low = (uint32_t)start;
	node->high = (uint8_t)((uint64_t)start >> 32 & 15);
	return doc->n++;
}

/* Length of the number token at s (JSON grammar, or NaN / Infinity / -Infinity), 0 if none. */
static size_t number_length(const char *s, const char *end)
{
	const char *p = s;
	if (p < end && *p == '-')
		p++;
	if ((size_t)(end - p) >= 8 && !memcmp(p, "Infinity", 8))
		return (size_t)(p + 8 - s);
	if (p == s && (size_t)(end - p) >= 3 && !memcmp(p, "NaN", 3))
		return 3;
	if (p >= end || *p < '0' || *p > '9')
		return 0;
	if (*p == '0')
		p++;
	else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	if (p < end && *p == '.') {
		p++;
		if (p >= end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	return (size_t)(p - s);
}

static int parse_number_text(const char *s, size_t len, double *out)
{
	const char *p = s;
	int neg = 0;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if ((size_t)(s + len - p) == 8 && !memcmp(p, "Infinity", 8)) {
		*out = neg ? -INFINITY : INFINITY;
		return 0;
	}
	if (len == 3 && !memcmp(s, "NaN", 3)) {
		*out = NAN;
		return 0;
	}
	int rc = obl_parse_double(s, s + len, out);
	if (rc == -2) { /* overflow: JSON allows 1e400; it is infinite */
		*out = neg ? -INFINITY : INFINITY;
		return 0;
	}
	return rc;
}

/* Scans the string starting at s (the opening quote); returns the offset just past the
 * closing quote, or 0 on error (*why set). *escaped tells whether it holds an escape. */
static size_t string_end(const char *text, size_t len, size_t s, const char **why, size_t *at,
			 int *escaped)
{
	size_t i = s + 1;
	*escaped = 0;
	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		if (c == '"')
			return i + 1;
		if (c < 0x20) {
			*why = "control character in a string (escape it)";
			*at = i;
			return 0;
		}
		if (c == '\\') {
			*escaped = 1;
			if (i + 1 >= len)
				break;
			char e = text[i + 1];
			if (e == 'u') {
				for (int k = 2; k < 6; k++) {
					char h = i + (size_t)k < len ? text[i + (size_t)k] : 0;
					if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') ||
					      (h >= 'A' && h <= 'F'))) {
						*why = "bad \\u escape in a string";
						*at = i;
						return 0;
					}
				}
				i += 6;
				continue;
			}
			if (!strchr("\"\\/bfnrt", e) || e == 0) {
				*why = "bad escape in a string";
				*at = i;
				return 0;
			}
			i += 2;
			continue;
		}
		i++;
	}
	*why = "unterminated string (the file may be truncated)";
	*at = s;
	return 0;
}

/* Closes container idx at offset pos (the closing bracket): packs an all-number array. */
static void close_container(struct obl_json *doc, size_t idx, size_t pos)
{
	struct obl_json_node *node = &doc->nodes[idx];
	set_end(node, pos + 1);
	if (node->type == OBL_JSON_ARRAY && node->count > 0 && doc->n - idx - 1 == node->count) {
		int all_numbers = 1;
		for (size_t c = idx + 1; c < doc->n && all_numbers; c++)
			all_numbers = doc->nodes[c].type == OBL_JSON_NUMBER;
		if (all_numbers) {
			doc->n = idx + 1;
			node->packed = 1;
		}
	}
	node->next = doc->n;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int obl_json_parse(struct obl_json *doc, const char *text, size_t len, const char *path,
		   struct obl_error *err)
{
	memset(doc, 0, sizeof *doc);
	doc->text = text;
	doc->len = len;
	doc->path = path;
	if ((uint64_t)len >> 36)
		return obl_error_set(err, OBL_EINPUT, path, 0, NULL,
				     "a JSON text of 64 GiB or more is more than obl reads");
	size_t *stack = malloc(64 * sizeof *stack), depth = 0, stack_alloc = 64;
	if (!stack)
		return obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
	/* Room for about one node per 8 bytes up front (at most 4 Mi nodes): a file of many
	 * small objects (Google Benchmark rows) otherwise copies its node array a dozen times
	 * while it doubles. Pages never written cost nothing. */
	size_t guess = len / 8 < 256 ? 256 : len / 8 > ((size_t)1 << 22) ? (size_t)1 << 22
									 : len / 8;
	doc->nodes = malloc(guess * sizeof *doc->nodes);
	doc->alloc = doc->nodes ? guess : 0;
	enum { VALUE,
	       VALUE_OR_END,
	       KEY,
	       KEY_OR_END,
	       COLON,
	       COMMA_OR_END } state = VALUE;
	size_t pos = 0;
	int rc = OBL_OK;
	int done = 0;
	while (!done) {
		while (pos < len && is_space(text[pos]))
			pos++;
		if (pos >= len) {
			rc = syntax_error(doc, pos, err,
					  doc->n == 0 ? "empty: no JSON value"
						      : "unexpected end of file (truncated JSON?)");
			break;
		}
		char c = text[pos];
		size_t parent = depth ? stack[depth - 1] : (size_t)-1;
		if (state == COMMA_OR_END) {
			int object = doc->nodes[parent].type == OBL_JSON_OBJECT;
			if (c == ',') {
				pos++;
				state = object ? KEY : VALUE;
				continue;
			}
			if (c == (object ? '}' : ']')) {
				close_container(doc, parent, pos);
				pos++;
				depth--;
				if (depth == 0)
					done = 1;
				continue;
			}
			rc = syntax_error(doc, pos, err, "expected ',' or '%c'", object ? '}' : ']');
			break;
		}
		if (state == COLON) {
			if (c != ':') {
				rc = syntax_error(doc, pos, err, "expected ':' after an object key");
				break;
			}
			pos++;
			state = VALUE;
			continue;
		}
		if (state == KEY || state == KEY_OR_END) {
			if (state == KEY_OR_END && c == '}') {
				close_container(doc, parent, pos);
				pos++;
				depth--;
				if (depth == 0)
					done = 1;
				else
					state = COMMA_OR_END;
				continue;
			}
			if (c != '"') {
				rc = syntax_error(doc, pos, err, "expected a string key");
				break;
			}
			const char *why = NULL;
			int escaped;
			size_t at = 0, e = string_end(text, len, pos, &why, &at, &escaped);
			if (!e) {
				rc = syntax_error(doc, at, err, "%s", why);
				break;
			}
			size_t k = add_node(doc, OBL_JSON_STRING, pos);
			if (k == (size_t)-1) {
				rc = obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
				break;
			}
			doc->nodes[k].escaped = (uint8_t)escaped;
			set_end(&doc->nodes[k], e);
			doc->nodes[k].next = k + 1;
			doc->nodes[parent].count++;
			pos = e;
			state = COLON;
			continue;
		}
		/* VALUE or VALUE_OR_END */
		if (state == VALUE_OR_END && c == ']') {
			close_container(doc, parent, pos);
			pos++;
			depth--;
			if (depth == 0)
				done = 1;
			else
				state = COMMA_OR_END;
			continue;
		}
		size_t idx;
		if (c == '{' || c == '[') {
			if (depth >= MAX_DEPTH) {
				rc = syntax_error(doc, pos, err, "nested more than %d levels deep",
						  MAX_DEPTH);
				break;
			}
			idx = add_node(doc, c == '{' ? OBL_JSON_OBJECT : OBL_JSON_ARRAY, pos);
			if (idx == (size_t)-1) {
				rc = obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
				break;
			}
			if (parent != (size_t)-1 && doc->nodes[parent].type == OBL_JSON_ARRAY)
				doc->nodes[parent].count++;
			if (depth == stack_alloc) {
				size_t *p = realloc(stack, 2 * stack_alloc * sizeof *p);
				if (!p) {
					rc = obl_error_set(err, OBL_ENOMEM, path, 0, NULL,
							   "out of memory");
					break;
				}
				stack = p;
				stack_alloc *= 2;
			}
			stack[depth++] = idx;
			pos++;
			state = c == '{' ? KEY_OR_END : VALUE_OR_END;
			continue;
		}
		int type;
		size_t end;
		const char *why = NULL;
		size_t at = 0;
		int escaped = 0;
		if (c == '"') {
			type = OBL_JSON_STRING;
			end = string_end(text, len, pos, &why, &at, &escaped);
			if (!end) {
				rc = syntax_error(doc, at, err, "%s", why);
				break;
			}
		} else if (len - pos >= 4 && !memcmp(text + pos, "true", 4)) {
			type = OBL_JSON_TRUE;
			end = pos + 4;
		} else if (len - pos >= 5 && !memcmp(text + pos, "false", 5)) {
			type = OBL_JSON_FALSE;
			end = pos + 5;
		} else if (len - pos >= 4 && !memcmp(text + pos, "null", 4)) {
			type = OBL_JSON_NULL;
			end = pos + 4;
		} else {
			size_t n = number_length(text + pos, text + len);
			if (!n) {
				rc = syntax_error(doc, pos, err, "expected a value");
				break;
			}
			type = OBL_JSON_NUMBER;
			end = pos + n;
		}
		idx = add_node(doc, type, pos);
		if (idx == (size_t)-1) {
			rc = obl_error_set(err, OBL_ENOMEM, path, 0, NULL, "out of memory");
			break;
		}
		set_end(&doc->nodes[idx], end);
		doc->nodes[idx].next = idx + 1;
		doc->nodes[idx].escaped = (uint8_t)escaped;
		if (parent != (size_t)-1 && doc->nodes[parent].type == OBL_JSON_ARRAY)
			doc->nodes[parent].count++;
		pos = end;
		if (depth == 0)
			done = 1;
		else
			state = COMMA_OR_END;
	}
	free(stack);
	if (rc == OBL_OK) {
		while (pos < len && is_space(text[pos]))
			pos++;
		if (pos < len)
			rc = syntax_error(doc, pos, err, "unexpected content after the JSON value");
	}
	if (rc != OBL_OK) {
		free(doc->nodes);
		doc->nodes = NULL;
		doc->n = doc->alloc = 0;
	}
	return rc;
}

void obl_json_drop(const struct obl_json *doc, size_t from, size_t to)
{
	if (doc->mapped)
		obl_file_drop(doc->text, from, to);
}

void obl_json_free(struct obl_json *doc)
{
	free(doc->nodes);
	doc->nodes = NULL;
	doc->n = doc->alloc = 0;
}

size_t obl_json_first(const struct obl_json *doc, size_t node)
{
	const struct obl_json_node *n = &doc->nodes[node];
	if (n->count == 0 || n->packed)
		return 0;
	return n->type == OBL_JSON_OBJECT ? node + 2 : node + 1;
}

size_t obl_json_next_sibling(const struct obl_json *doc, size_t parent, size_t child)
{
	size_t next = doc->nodes[child].next;
	if (next >= doc->nodes[parent].next)
		return 0;
	return doc->nodes[parent].type == OBL_JSON_OBJECT ? next + 1 : next;
}

size_t obl_json_key_of(const struct obl_json *doc, size_t value)
{
	(void)doc;
	return value - 1;
}

/* obl_json_string_equals with strlen(s) known: a string without escapes (the parser marks
 * them) is compared as it stands; this runs for every member of an object a key is looked up
 * in. */
static int string_equals(const struct obl_json *doc, size_t node, const char *s, size_t want)
{
	const struct obl_json_node *n = &doc->nodes[node];
	if (n->type != OBL_JSON_STRING)
		return 0;
	size_t len = obl_json_end(doc, node) - obl_json_start(doc, node) - 2;
	if (!n->escaped)
		return len == want && !memcmp(doc->text + obl_json_start(doc, node) + 1, s, len);
	if (len < want) /* escapes only make the text longer than what it decodes to */
		return 0;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	obl_json_string(doc, node, &sb);
	int eq = !strcmp(sb.buf, s);
	obl_strbuf_release(&sb);
	return eq;
}

int obl_json_string_equals(const struct obl_json *doc, size_t node, const char *s)
{
	return string_equals(doc, node, s, strlen(s));
}

size_t obl_json_get(const struct obl_json *doc, size_t obj, const char *key)
{
	if (obj >= doc->n || doc->nodes[obj].type != OBL_JSON_OBJECT)
		return 0;
	size_t len = strlen(key);
	for (size_t v = obl_json_first(doc, obj); v; v = obl_json_next_sibling(doc, obj, v))
		if (string_equals(doc, v - 1, key, len))
			return v;
	return 0;
}

int obl_json_number(const struct obl_json *doc, size_t node, double *out)
{
	const struct obl_json_node *n = &doc->nodes[node];
	if (n->type != OBL_JSON_NUMBER)
		return -1;
	return parse_number_text(doc->text + obl_json_start(doc, node), obl_json_end(doc, node) - obl_json_start(doc, node), out) ? -1 : 0;
}

/* The end of a number token of a packed array, which the parse has checked: its first ','
 * or space, or end. Eight bytes at a time where that can be done portably (a quarter of the
 * time of reading a vLLM file was finding where each number ends, twice). */
static const char *token_end(const char *p, const char *end)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	while (end - p >= 8) {
		uint64_t x;
		memcpy(&x, p, sizeof x);
		uint64_t c = x ^ (ones * ',');
		/* bytes equal to ',' and bytes below '!' (the spaces); the lowest flagged byte is
		 * exact (a borrow only flags bytes above a true one) */
		uint64_t m = ((c - ones) & ~c & highs) | ((x - ones * 0x21) & ~x & highs);
		if (m)
			return p + (__builtin_ctzll(m) >> 3);
		p += 8;
	}
#endif
	while (p < end && *p != ',' && !is_space(*p))
		p++;
	return p;
}

int obl_json_numbers(const struct obl_json *doc, size_t node, double *out, size_t *bad_offset)
{
	const struct obl_json_node *n = &doc->nodes[node];
	if (n->type != OBL_JSON_ARRAY) {
		*bad_offset = obl_json_start(doc, node);
		return -1;
	}
	if (!n->packed) {
		size_t i = 0;
		for (size_t c = obl_json_first(doc, node); c; c = obl_json_next_sibling(doc, node, c)) {
			if (obl_json_number(doc, c, &out[i++])) {
				*bad_offset = obl_json_start(doc, c);
				return -1;
			}
		}
		return 0;
	}
	const char *p = doc->text + obl_json_start(doc, node) + 1, *end = doc->text + obl_json_end(doc, node) - 1;
	for (size_t i = 0; i < n->count; i++) {
		while (p < end && (is_space(*p) || *p == ','))
			p++;
		size_t len = (size_t)(token_end(p, end) - p);
		if (!len || parse_number_text(p, len, &out[i])) {
			*bad_offset = (size_t)(p - doc->text);
			return -1;
		}
		p += len;
	}
	return 0;
}

static void add_utf8(struct obl_strbuf *out, unsigned long cp)
{
	char b[4];
	obl_strbuf_add(out, b, obl_utf8_encode((uint32_t)cp, b));
}

int obl_json_string(const struct obl_json *doc, size_t node, struct obl_strbuf *out)
{
	const struct obl_json_node *n = &doc->nodes[node];
	if (n->type != OBL_JSON_STRING)
		return -1;
	const char *p = doc->text + obl_json_start(doc, node) + 1, *end = doc->text + obl_json_end(doc, node) - 1;
	while (p < end) {
		const char *q = p;
		while (q < end && *q != '\\')
			q++;
		obl_strbuf_add(out, p, (size_t)(q - p));
		if (q >= end)
			break;
		char e = q[1];
		p = q + 2;
		switch (e) {
		case 'b': obl_strbuf_addch(out, '\b'); break;
		case 'f': obl_strbuf_addch(out, '\f'); break;
		case 'n': obl_strbuf_addch(out, '\n'); break;
		case 'r': obl_strbuf_addch(out, '\r'); break;
		case 't': obl_strbuf_addch(out, '\t'); break;
		case 'u': {
			unsigned long cp = strtoul((char[]){ q[2], q[3], q[4], q[5], 0 }, NULL, 16);
			p = q + 6;
			if (cp >= 0xD800 && cp < 0xDC00 && p + 6 <= end && p[0] == '\\' && p[1] == 'u') {
				unsigned long lo =
					strtoul((char[]){ p[2], p[3], p[4], p[5], 0 }, NULL, 16);
				if (lo >= 0xDC00 && lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p += 6;
				}
			}
			if (cp == 0 || (cp >= 0xD800 && cp < 0xE000))
				cp = 0xFFFD; /* NUL or a lone surrogate: the replacement character */
			add_utf8(out, cp);
			break;
		}
		default: obl_strbuf_addch(out, e);
		}
	}
	return 0;
}

int obl_json_each_line(const char *data, size_t len, const char *path,
		       int (*fn)(struct obl_json *doc, long line, void *ctx), void *ctx,
		       struct obl_error *err)
{
	int rc = OBL_OK;
	const char *p = data, *end = data + len;
	long line = 0;
	while (!rc && p < end) {
		line++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *q = p;
		while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q < eol) {
			struct obl_json one;
			rc = obl_json_parse(&one, p, (size_t)(eol - p), path, err);
			if (rc) {
				err->line = line; /* the position on the file's line */
			} else {
				rc = fn(&one, line, ctx);
				obl_json_free(&one);
			}
		}
		p = eol + 1;
	}
	return rc;
}
