/*
 * json.h - a JSON parser for benchmark result files: positions for diagnostics, packed
 * number arrays for speed and memory.
 *
 * The document is a flat array of nodes in document order; a node's children follow it,
 * and node.next is the index just past its subtree, so iteration never recurses. An array
 * whose elements are all numbers is stored as one "packed" node (its elements are parsed
 * on demand with obl_json_numbers), so a file of 25 million inter-token latencies costs
 * one node per request, not one per number. Parsing is iterative with an explicit stack:
 * deep nesting is an error, never a stack overflow. Python's NaN, Infinity and -Infinity
 * are accepted as numbers (json.dump writes them); readers decide whether they are valid.
 *
 * Why obl parses JSON itself although cJSON is linked in (it builds the JSON output, see
 * json_write.h): result files are large (a vLLM run with per-token latencies is tens of MB),
 * and cJSON makes a heap node per number and keeps no positions. Packed arrays and one flat
 * node array make this parser several times faster and smaller on such files (measured with
 * make bench's vLLM ingest), and every error can name the line and column it found.
 */
#ifndef OBL_JSON_H
#define OBL_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strbuf.h"

enum obl_json_type {
	OBL_JSON_NULL = 0,
	OBL_JSON_FALSE,
	OBL_JSON_TRUE,
	OBL_JSON_NUMBER,
	OBL_JSON_STRING,
	OBL_JSON_ARRAY,
	OBL_JSON_OBJECT,
};

struct obl_json_node {
	uint8_t type;
	uint8_t packed;  /* an array of numbers whose elements have no nodes */
	uint8_t escaped; /* a string with an escape in it (to decode before comparing) */
	uint8_t high;    /* bits 32-35 of start (low nibble) and of end (high nibble) */
	uint32_t count;  /* array elements, or object members */
	/* byte range in the text ([start, end); strings include quotes): obl_json_start and
	 * obl_json_end */
	uint32_t start_low, end_low;
	uint32_t next; /* index of the node after this subtree */

	/* 36-bit positions in 20 bytes: a file of many small objects has a node per few bytes,
	 * and their pages were a fifth of the time of reading one (64-bit positions would make
	 * a node 32 bytes), while a vLLM result of 10^6 requests x 256 tokens (5.6 GB) needs more
	 * than 32. Texts of 64 GiB or more are refused. */
};

struct obl_json {
	const char *text;
	size_t len;
	const char *path;            /* for diagnostics */
	struct obl_json_node *nodes; /* nodes[0] is the root */
	size_t n, alloc;
	int mapped; /* text is a mapped file's (struct obl_file.mapped): see obl_json_drop */
};

/* The byte range [start, end) of node i in the text. */
static inline size_t obl_json_start(const struct obl_json *doc, size_t i)
{
	const struct obl_json_node *n = &doc->nodes[i];
	return (size_t)((uint64_t)(n->high & 15) << 32 | n->start_low);
}

static inline size_t obl_json_end(const struct obl_json *doc, size_t i)
{
	const struct obl_json_node *n = &doc->nodes[i];
	return (size_t)((uint64_t)(n->high >> 4) << 32 | n->end_low);
}

/* Parses text[0..len) (need not be NUL-terminated). On a syntax error returns OBL_EINPUT with
 * err naming path, line, column and what was expected. Free with obl_json_free. */
OBL_MUST_CHECK int obl_json_parse(struct obl_json *doc, const char *text, size_t len, const char *path,
				  struct obl_error *err);
void obl_json_free(struct obl_json *doc);

/* For a reader that consumes a large document front to back: drops the pages of text[from,
 * to) from memory when the text is a mapped file (they come back from the file if read
 * again). Nothing otherwise. */
void obl_json_drop(const struct obl_json *doc, size_t from, size_t to);

/* The member of object node obj called key (its value node), or 0 if absent (0 is the root,
 * which is never a member). */
size_t obl_json_get(const struct obl_json *doc, size_t obj, const char *key);

/* Iteration over the children of an array (values) or object (values; see key_of): first
 * child, then next; 0 when there are no more. Not for packed arrays. */
size_t obl_json_first(const struct obl_json *doc, size_t node);
size_t obl_json_next_sibling(const struct obl_json *doc, size_t parent, size_t child);
/* For an object member's value node, its key node. */
size_t obl_json_key_of(const struct obl_json *doc, size_t value);

/* The number at node (NaN/Infinity allowed). Returns 0, or -1 if node is not a number. */
int obl_json_number(const struct obl_json *doc, size_t node, double *out);

/* The elements of an array of numbers (packed or not) into out[0..count). Returns 0, or -1
 * if an element is not a number (then *bad_offset is its byte offset). */
int obl_json_numbers(const struct obl_json *doc, size_t node, double *out, size_t *bad_offset);

/* Appends the decoded string at node (escapes resolved, \u to UTF-8) to out. Returns 0, or
 * -1 if node is not a string. */
int obl_json_string(const struct obl_json *doc, size_t node, struct obl_strbuf *out);

/* 1 if the string node equals s (no escapes in either: the common case is a fast compare). */
int obl_json_string_equals(const struct obl_json *doc, size_t node, const char *s);

/* Line and column (1-based) of a byte offset. */
void obl_json_position(const struct obl_json *doc, size_t offset, long *line, long *column);

/* Records an OBL_EINPUT error at node's position: "path:line:col: 'field': message". */
OBL_MUST_CHECK int obl_json_error(const struct obl_json *doc, size_t node, struct obl_error *err,
				  const char *field, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A name for a type, for messages ("an array", "a string", ...). */
const char *obl_json_type_name(int type);

/* JSON Lines: parses each non-blank line of data[0..len) as a document of its own and calls
 * fn(doc, line, ctx) with it (1-based line; the document is freed after), stopping at the
 * first error; a parse error's position is the file's line. Returns fn's status or the
 * parser's. */
int obl_json_each_line(const char *data, size_t len, const char *path,
		       int (*fn)(struct obl_json *doc, long line, void *ctx), void *ctx,
		       struct obl_error *err);

#endif
