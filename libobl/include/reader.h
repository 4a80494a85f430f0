/*
 * reader.h - the reader interface: one file per input format (read_<format>.c), each a
 * detect() that scores how sure it is that a file is its format, and a read() (or, for JSON
 * formats, a read_json() of the parsed document) that fills a batch (model.h) or reports the
 * file, position and field at fault. Registering a format is
 * one line in reader.c.
 */
#ifndef OBL_READER_H
#define OBL_READER_H

#include "error.h"
#include "input.h"
#include "json.h"
#include "model.h"
#include "options.h"

/* Options some readers take (generic CSV, plain numbers). */
struct obl_read_options {
	const struct obl_string_list *columns; /* CSV: "COLUMN=METRIC[:UNIT]" or "COLUMN=@key" */
	const char *metric;                    /* plain numbers: the metric's name */
	const char *unit;                      /* plain numbers: its unit */
	long column;                           /* plain numbers: 1-based column */
	const char *delimiters;                /* plain numbers */
};

struct obl_reader {
	const char *name;
	const char *description;
	/* 0 (not this format) to 100 (certain); looks at content only, never at the name. */
	int (*detect)(const struct obl_file *f);
	/* One of the two is set. read takes the file as it is; read_json takes it parsed (a
	 * syntax error is reported before it is called, and doc->path names the file). */
	int (*read)(const struct obl_file *f, const struct obl_read_options *opt,
		    struct obl_batch *out, struct obl_error *err);
	int (*read_json)(const struct obl_json *doc, struct obl_batch *out, struct obl_error *err);
};

/* Reads f with r into out, whichever kind of reader r is. Running out of memory is reported
 * naming the file when the reader did not say where. */
OBL_MUST_CHECK int obl_reader_read(const struct obl_reader *r, const struct obl_file *f,
				   const struct obl_read_options *opt, struct obl_batch *out,
				   struct obl_error *err);

/* All readers, NULL-terminated, in the order --list-formats shows them. */
extern const struct obl_reader *const obl_readers[];

const struct obl_reader *obl_reader_find(const char *name);

/* 1 if each value a reader of this format gives for a benchmark is one run of the whole
 * benchmark (Go -count lines, hyperfine runs, pytest-benchmark rounds), not one request of
 * a run: those values are repetitions, the experimental unit itself, and are named so. */
int obl_format_values_are_runs(const char *format);
/* The reader that scores highest on f, or NULL if none scores above 0. */
const struct obl_reader *obl_reader_detect(const struct obl_file *f);

/* 1 if the file's first or last MiB contains needle (a cheap content test for detect
 * functions, whatever the size of the arrays between). */
int obl_contains(const struct obl_file *f, const char *needle);
/* The first non-blank byte of the file, or 0. */
char obl_first_char(const struct obl_file *f);

/* ---- Field access with good errors, shared by the JSON readers ---------------------- */

/* A number member: *present = 0 if absent or null. Another type is an error at the member. */
OBL_MUST_CHECK int obl_json_get_number(const struct obl_json *doc, size_t obj, const char *key, double *out,
				       int *present, struct obl_error *err);
/* A string member appended to out (cleared first); absent or null: *present = 0. Numbers are
 * accepted and written as text (e.g. a request rate given as 4 or "inf"). */
OBL_MUST_CHECK int obl_json_get_text(const struct obl_json *doc, size_t obj, const char *key,
				     struct obl_strbuf *out, int *present, struct obl_error *err);
/* The same two for a member's value node already found (0: absent); key names it in errors.
 * For readers that take every member of an object in one pass. */
OBL_MUST_CHECK int obl_json_value_number(const struct obl_json *doc, size_t v, const char *key, double *out,
					 int *present, struct obl_error *err);
OBL_MUST_CHECK int obl_json_value_text(const struct obl_json *doc, size_t v, const char *key,
				       struct obl_strbuf *out, int *present, struct obl_error *err);
/* An array of numbers (values replaced); absent or null: *present = 0. */
OBL_MUST_CHECK int obl_json_get_numbers(const struct obl_json *doc, size_t obj, const char *key,
					struct obl_values *out, int *present, struct obl_error *err);

/* The array member `key` of the root object, as an array of objects (not a packed array of
 * numbers); otherwise an error at it: "expected <expected>: an object with an array of <key>". */
OBL_MUST_CHECK int obl_json_root_array(const struct obl_json *doc, const char *key, const char *expected,
				       size_t *array, struct obl_error *err);
/* Tags from the members pairs[k][0] of node obj (0: the root; not an object: none), named
 * pairs[k][1]; strings and numbers only, anything else is no tag. OBL_ENOMEM or OBL_OK. */
int obl_json_tags(const struct obl_json *doc, size_t obj, const char *const (*pairs)[2],
		  size_t n, struct obl_batch *b);

/* The readers. */
extern const struct obl_reader obl_reader_vllm, obl_reader_sglang, obl_reader_vllm_nightly, obl_reader_guidellm, obl_reader_vllm_log, obl_reader_llmperf, obl_reader_genai_perf,
	obl_reader_genai_perf_csv, obl_reader_lm_eval, obl_reader_lighteval, obl_reader_go_bench,
	obl_reader_nvidia_smi, obl_reader_hyperfine, obl_reader_gbench, obl_reader_pytest_benchmark,
	obl_reader_criterion, obl_reader_mlperf_summary, obl_reader_mlperf_detail,
	obl_reader_json,
	obl_reader_csv, obl_reader_plain;

#endif
