/*
 * reader.c - the registry of readers, format detection, and JSON field helpers.
 */
#define _GNU_SOURCE /* memmem */
#include "reader.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "strbuf.h"

const struct obl_reader *const obl_readers[] = {
	&obl_reader_vllm,
	&obl_reader_sglang,
	&obl_reader_vllm_nightly,
	&obl_reader_guidellm,
	&obl_reader_vllm_log,
	&obl_reader_llmperf,
	&obl_reader_genai_perf,
	&obl_reader_genai_perf_csv,
	&obl_reader_lm_eval,
	&obl_reader_lighteval,
	&obl_reader_nvidia_smi,
	&obl_reader_go_bench,
	&obl_reader_hyperfine,
	&obl_reader_gbench,
	&obl_reader_pytest_benchmark,
	&obl_reader_criterion,
	&obl_reader_mlperf_summary,
	&obl_reader_mlperf_detail,
	&obl_reader_json,
	&obl_reader_csv,
	&obl_reader_plain,
	NULL,
};

enum { DETECT_BYTES = 1 << 20 };

const struct obl_reader *obl_reader_find(const char *name)
{
	for (const struct obl_reader *const *r = obl_readers; *r; r++)
		if (!strcmp((*r)->name, name))
			return *r;
	return NULL;
}

int obl_format_values_are_runs(const char *format)
{
	static const char *const runs[] = { "go-bench", "hyperfine", "pytest-benchmark", NULL };
	for (const char *const *p = runs; format && *p; p++)
		if (!strcmp(*p, format))
			return 1;
	return 0;
}

static const struct obl_reader *best_of(const struct obl_file *f, int *best_score)
{
	const struct obl_reader *best = NULL;
	*best_score = 0;
	for (const struct obl_reader *const *r = obl_readers; *r; r++) {
		int score = (*r)->detect(f);
		if (score > *best_score) {
			best = *r;
			*best_score = score;
		}
	}
	return best;
}

/* The top-level keys of a JSON object, as the text {"k1":0,"k2":0,...}: one pass that skips
 * strings and nested values without parsing them. NULL if not an object or out of memory. */
/* 1 if one of the 8 bytes at p is '"', '[', ']', '{' or '}' (SWAR: a byte equal to b makes
 * (x ^ b) have a zero byte, found by the usual (v - 0x01..) & ~v & 0x80.. test). */
static int has_structural(const char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	static const unsigned char marks[] = { '"', '[', ']', '{', '}' };
	for (size_t i = 0; i < sizeof marks; i++) {
		uint64_t v = x ^ (ones * marks[i]);
		if ((v - ones) & ~v & highs)
			return 1;
	}
	return 0;
}

static char *top_level_keys(const struct obl_file *f, size_t *len)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	obl_strbuf_addstr(&sb, "{");
	const char *p = f->data, *end = f->data + f->len;
	while (p < end && *p != '{')
		p++;
	/* Below the top level only strings and brackets matter: the bytes between them (numbers,
	 * commas, blanks: nearly all of a large file) are skipped eight at a time, a word with
	 * none of '"', '[', ']', '{', '}' passing in a few operations (a byte at a time, this
	 * scan was a seventh of the ingest of a 700 MB vLLM result). */
	int depth = 0, expect_key = 1;
	for (; p < end; p++) {
		if (depth >= 2) {
			while ((size_t)(end - p) >= 8 && !has_structural(p))
				p += 8;
			while (p < end && *p != '"' && *p != '[' && *p != ']' && *p != '{' && *p != '}')
				p++;
			if (p >= end)
				break;
		}
		char c = *p;
		if (c == '"') {
			const char *start = p++;
			while (p < end && *p != '"')
				p += *p == '\\' ? 2 : 1;
			if (p >= end)
				break;
			if (depth == 1 && expect_key) {
				obl_strbuf_add(&sb, start, (size_t)(p - start + 1));
				obl_strbuf_addstr(&sb, ":0,");
				expect_key = 0;
			}
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth == 0)
				break;
		} else if (c == ',' && depth == 1) {
			expect_key = 1;
		}
	}
	obl_strbuf_addstr(&sb, "}");
	if (obl_strbuf_failed(&sb)) {
		obl_strbuf_release(&sb);
		return NULL;
	}
	*len = sb.len;
	return sb.buf;
}

const struct obl_reader *obl_reader_detect(const struct obl_file *f)
{
	int best_score;
	const struct obl_reader *best = best_of(f, &best_score);
	/* A JSON object too large for its keys to show in the first and last MiB (sorted keys
	 * around arrays of 150 000 requests): detect again on its top-level keys alone. */
	if (best_score <= 10 && f->len > DETECT_BYTES && obl_first_char(f) == '{') {
		size_t len;
		char *keys = top_level_keys(f, &len);
		if (keys) {
			struct obl_file view = { keys, len, f->path, 0 };
			int score;
			const struct obl_reader *r = best_of(&view, &score);
			if (score > best_score)
				best = r;
			free(keys);
		}
	}
	return best;
}

int obl_reader_read(const struct obl_reader *r, const struct obl_file *f,
		    const struct obl_read_options *opt, struct obl_batch *out,
		    struct obl_error *err)
{
	int rc;
	if (r->read) {
		rc = r->read(f, opt, out, err);
	} else {
		struct obl_json doc;
		rc = obl_json_parse(&doc, f->data, f->len, f->path, err);
		if (rc)
			return rc;
		doc.mapped = f->mapped;
		rc = r->read_json(&doc, out, err);
		obl_json_free(&doc);
	}
	if (rc == OBL_ENOMEM && err->status == OBL_OK)
		obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
	return rc;
}

int obl_contains(const struct obl_file *f, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0 || f->len < n)
		return n == 0;
	/* memmem, not memchr on the first byte: needles start with '"', which a JSON file
	 * holds every few bytes. Only the first MiB: every reader's detect() asks, a format
	 * shows itself in its first keys, and a 500 MB vLLM result must not be scanned a dozen
	 * times before it is read. */
	size_t len = f->len < DETECT_BYTES ? f->len : DETECT_BYTES;
	if (memmem(f->data, len, needle, n))
		return 1;
	/* And the last MiB: a JSON object's keys sit before and after its big arrays (a vLLM
	 * result of 150 000 requests has its summaries at one end, its per-request arrays in
	 * the middle), so a format is recognised whatever the size of its arrays. */
	if (f->len <= DETECT_BYTES)
		return 0;
	size_t from = f->len - DETECT_BYTES < DETECT_BYTES ? DETECT_BYTES - (n - 1)
							   : f->len - DETECT_BYTES;
	return memmem(f->data + from, f->len - from, needle, n) != NULL;
}

char obl_first_char(const struct obl_file *f)
{
	for (size_t i = 0; i < f->len; i++)
		if (f->data[i] != ' ' && f->data[i] != '\t' && f->data[i] != '\n' && f->data[i] != '\r')
			return f->data[i];
	return 0;
}

int obl_json_value_number(const struct obl_json *doc, size_t v, const char *key, double *out,
			  int *present, struct obl_error *err)
{
	*present = 0;
	if (!v || doc->nodes[v].type == OBL_JSON_NULL)
		return OBL_OK;
	if (obl_json_number(doc, v, out))
		return obl_json_error(doc, v, err, key, "expected a number, got %s",
				      obl_json_type_name(doc->nodes[v].type));
	*present = 1;
	return OBL_OK;
}

int obl_json_get_number(const struct obl_json *doc, size_t obj, const char *key, double *out,
			int *present, struct obl_error *err)
{
	return obl_json_value_number(doc, obl_json_get(doc, obj, key), key, out, present, err);
}

int obl_json_value_text(const struct obl_json *doc, size_t v, const char *key,
			struct obl_strbuf *out, int *present, struct obl_error *err)
{
	obl_strbuf_reset(out);
	*present = 0;
	if (!v || doc->nodes[v].type == OBL_JSON_NULL)
		return OBL_OK;
	int type = doc->nodes[v].type;
	if (type == OBL_JSON_STRING)
		obl_json_string(doc, v, out);
	else if (type == OBL_JSON_NUMBER)
		obl_strbuf_add(out, doc->text + obl_json_start(doc, v),
			       obl_json_end(doc, v) - obl_json_start(doc, v));
	else
		return obl_json_error(doc, v, err, key, "expected a string, got %s",
				      obl_json_type_name(type));
	*present = 1;
	return OBL_OK;
}

int obl_json_get_text(const struct obl_json *doc, size_t obj, const char *key,
		      struct obl_strbuf *out, int *present, struct obl_error *err)
{
	return obl_json_value_text(doc, obl_json_get(doc, obj, key), key, out, present, err);
}

int obl_json_get_numbers(const struct obl_json *doc, size_t obj, const char *key,
			 struct obl_values *out, int *present, struct obl_error *err)
{
	size_t v = obl_json_get(doc, obj, key);
	out->n = 0;
	*present = 0;
	if (!v || doc->nodes[v].type == OBL_JSON_NULL)
		return OBL_OK;
	if (doc->nodes[v].type != OBL_JSON_ARRAY)
		return obl_json_error(doc, v, err, key, "expected an array of numbers, got %s",
				      obl_json_type_name(doc->nodes[v].type));
	size_t count = doc->nodes[v].count;
	if (count > out->alloc) {
		double *p = realloc(out->v, count * sizeof *p);
		if (!p)
			return obl_error_set(err, OBL_ENOMEM, doc->path, 0, key, "out of memory");
		out->v = p;
		out->alloc = count;
	}
	size_t bad;
	if (obl_json_numbers(doc, v, out->v, &bad)) {
		long line, column;
		obl_json_position(doc, bad, &line, &column);
		obl_error_set(err, OBL_EINPUT, doc->path, line, key,
			      "expected an array of numbers");
		obl_error_position(err, line, column, (long long)bad);
		return OBL_EINPUT;
	}
	out->n = count;
	*present = 1;
	return OBL_OK;
}

int obl_json_root_array(const struct obl_json *doc, const char *key, const char *expected,
			size_t *array, struct obl_error *err)
{
	size_t a = doc->nodes[0].type == OBL_JSON_OBJECT ? obl_json_get(doc, 0, key) : 0;
	*array = a;
	if (!a || doc->nodes[a].type != OBL_JSON_ARRAY || doc->nodes[a].packed)
		return obl_json_error(doc, a, err, key, "expected %s: an object with an array of %s",
				      expected, key);
	return OBL_OK;
}

int obl_json_tags(const struct obl_json *doc, size_t obj, const char *const (*pairs)[2],
		  size_t n, struct obl_batch *b)
{
	if (doc->nodes[obj].type != OBL_JSON_OBJECT)
		return OBL_OK;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int rc = OBL_OK;
	for (size_t k = 0; !rc && k < n; k++) {
		size_t v = obl_json_get(doc, obj, pairs[k][0]);
		int type = v ? doc->nodes[v].type : OBL_JSON_NULL;
		if (type != OBL_JSON_STRING && type != OBL_JSON_NUMBER)
			continue; /* absent, or a structure: not a tag */
		obl_strbuf_reset(&sb);
		if (type == OBL_JSON_STRING)
			obl_json_string(doc, v, &sb);
		else
			obl_strbuf_add(&sb, doc->text + obl_json_start(doc, v),
				       obl_json_end(doc, v) - obl_json_start(doc, v));
		if (obl_strbuf_failed(&sb) || obl_batch_tag(b, pairs[k][1], sb.buf))
			rc = OBL_ENOMEM;
	}
	obl_strbuf_release(&sb);
	return rc;
}
