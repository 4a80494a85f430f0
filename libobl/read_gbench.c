/*
 * read_gbench.c - Google Benchmark's JSON (--benchmark_format=json or --benchmark_out):
 * {"context": {...}, "benchmarks": [{"name", "run_name", "run_type", "repetition_index",
 * "real_time", "cpu_time", "time_unit", counters...}]}.
 *
 * Each benchmark (run_name) is a scenario (benchmark=BM_Sort/1000); each repetition a trial,
 * so that with --benchmark_repetitions=N the repetition is the experimental unit, as in
 * compare.py. real_time and cpu_time are stored in nanoseconds whatever time_unit says
 * (real_time_ns, cpu_time_ns), user counters under their own names (bytes_per_second, ...).
 * Aggregate rows (run_type "aggregate": _mean, _median, _stddev, _cv) are recognised and not
 * stored: obl recomputes them from the repetitions. Files older than run_type (2016) mark
 * repetitions by repeating a name. A file holding only aggregates
 * (--benchmark_report_aggregates_only) is read through its _mean rows, with a warning.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

static int detect(const struct obl_file *f)
{
	if (obl_first_char(f) == '{' && obl_contains(f, "\"benchmarks\"") &&
	    obl_contains(f, "\"real_time\"") && obl_contains(f, "\"time_unit\""))
		return 90;
	return 0;
}

/* Nanoseconds per time_unit. */
static double ns_per(const char *unit)
{
	static const struct { const char *name; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (!strcmp(unit, units[i].name))
			return units[i].ns;
	return NAN;
}

/* Members that describe a row rather than measure it (key: the member's key node). */
static int is_descriptive(const struct obl_json *doc, size_t key)
{
	/* the numbers of every row first: this runs for each member of each row */
	static const char *const keys[] = { "real_time", "cpu_time", "iterations",
					    "repetition_index", "repetitions", "threads",
					    "family_index", "per_family_instance_index", "name",
					    "run_name", "run_type", "time_unit", "aggregate_name",
					    "aggregate_unit", "label", "error_occurred", "error_message",
					    "big_o", "rms", NULL };
	for (const char *const *k = keys; *k; k++)
		if (obl_json_string_equals(doc, key, *k)) /* no copy of the key */
			return 1;
	return 0;
}

struct row {
	size_t node;
	char *name;            /* run_name, else name (owned) */
	int aggregate;         /* an aggregate row (_mean, ...) */
	int is_mean;           /* the _mean aggregate */
};

static int row_of(const struct obl_json *doc, size_t r, struct row *out, struct obl_error *err)
{
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int present, rc = obl_json_get_text(doc, r, "run_name", &sb, &present, err);
	if (!rc && !present)
		rc = obl_json_get_text(doc, r, "name", &sb, &present, err);
	if (!rc && !present)
		rc = obl_json_error(doc, r, err, "name", "a benchmark without a name");
	out->node = r;
	if (!rc && !(out->name = strdup(sb.buf)))
		rc = OBL_ENOMEM;
	out->aggregate = out->is_mean = 0;
	if (!rc) {
		rc = obl_json_get_text(doc, r, "run_type", &sb, &present, err);
		out->aggregate = !rc && present && !strcmp(sb.buf, "aggregate");
	}
	if (!rc && out->aggregate) {
		rc = obl_json_get_text(doc, r, "aggregate_name", &sb, &present, err);
		out->is_mean = !rc && present && !strcmp(sb.buf, "mean");
	}
	obl_strbuf_release(&sb);
	return rc;
}

/* Old files: "BM_x_mean" is an aggregate when "BM_x" is also a benchmark of the file. */
static void mark_old_aggregates(struct row *rows, size_t n, int has_run_type)
{
	static const char *const suffixes[] = { "_mean", "_median", "_stddev", "_cv" };
	for (size_t i = 0; i < n && !has_run_type; i++) {
		size_t len = strlen(rows[i].name);
		for (size_t s = 0; s < 4; s++) {
			size_t sl = strlen(suffixes[s]);
			if (len <= sl || strcmp(rows[i].name + len - sl, suffixes[s]))
				continue;
			for (size_t j = 0; j < n; j++)
				if (j != i && strlen(rows[j].name) == len - sl &&
				    !strncmp(rows[j].name, rows[i].name, len - sl)) {
					rows[i].aggregate = 1;
					rows[i].is_mean = s == 0;
					rows[i].name[len - sl] = 0;
					break;
				}
		}
	}
}

static int add(struct obl_trial_data *t, const char *metric, const char *unit, double v)
{
	struct obl_series *s = obl_trial_series(t, metric, unit, OBL_KIND_SAMPLE);
	return !s || obl_values_push(&s->values, v) ? OBL_ENOMEM : OBL_OK;
}

static int read_row(const struct obl_json *doc, const struct row *row, struct obl_batch *b,
		    struct obl_error *err)
{
	size_t r = row->node;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int present, rc = obl_json_get_text(doc, r, "time_unit", &sb, &present, err);
	double scale = present ? ns_per(sb.buf) : 1;
	if (!rc && isnan(scale))
		rc = obl_json_error(doc, obl_json_get(doc, r, "time_unit"), err, "time_unit",
				    "'%s': expected ns, us, ms or s", sb.buf);
	obl_strbuf_release(&sb);
	struct obl_trial_data *t = rc ? NULL : obl_batch_trial(b);
	if (!rc && (!t || obl_trial_set_scenario(t, "benchmark", row->name)))
		rc = OBL_ENOMEM;
	static const char *const times[][2] = { { "real_time", "real_time_ns" },
						{ "cpu_time", "cpu_time_ns" } };
	for (int k = 0; !rc && k < 2; k++) {
		double v;
		rc = obl_json_get_number(doc, r, times[k][0], &v, &present, err);
		if (!rc && present && (!isfinite(v) || v < 0))
			rc = obl_json_error(doc, obl_json_get(doc, r, times[k][0]), err, times[k][0],
					    "%g is negative or not a number", v);
		if (!rc && present)
			rc = add(t, times[k][1], "ns", v * scale);
	}
	/* User counters: every other number. */
	struct obl_strbuf key;
	obl_strbuf_init(&key);
	for (size_t m = rc ? 0 : obl_json_first(doc, r); !rc && m; m = obl_json_next_sibling(doc, r, m)) {
		double v;
		size_t k = obl_json_key_of(doc, m);
		if (doc->nodes[m].type != OBL_JSON_NUMBER || is_descriptive(doc, k))
			continue;
		obl_strbuf_reset(&key);
		obl_json_string(doc, k, &key);
		if (obl_json_number(doc, m, &v) || !isfinite(v))
			rc = obl_json_error(doc, m, err, key.buf, "not a finite number");
		else
			rc = add(t, key.buf, strstr(key.buf, "per_second") ? "/s" : "", v);
	}
	obl_strbuf_release(&key);
	return rc;
}

static int read_gbench(const struct obl_file *f, const struct obl_read_options *opt,
		       struct obl_batch *b, struct obl_error *err)
{
	(void)opt;
	struct obl_json doc;
	int rc = obl_json_parse(&doc, f->data, f->len, f->path, err);
	if (rc)
		return rc;
	size_t list;
	rc = obl_json_root_array(&doc, "benchmarks", "Google Benchmark's JSON", &list, err);
	size_t n = 0;
	for (size_t r = rc ? 0 : obl_json_first(&doc, list); r; r = obl_json_next_sibling(&doc, list, r))
		n++;
	struct row *rows = rc ? NULL : calloc(n ? n : 1, sizeof *rows);
	if (!rc && !rows)
		rc = OBL_ENOMEM;
	size_t i = 0;
	int has_run_type = 0;
	for (size_t r = rc ? 0 : obl_json_first(&doc, list); !rc && r;
	     r = obl_json_next_sibling(&doc, list, r), i++) {
		if (doc.nodes[r].type != OBL_JSON_OBJECT)
			rc = obl_json_error(&doc, r, err, "benchmarks", "entry %zu: expected an object",
					    i);
		else
			rc = row_of(&doc, r, &rows[i], err);
		has_run_type |= !rc && obl_json_get(&doc, r, "run_type") != 0;
	}
	if (!rc)
		mark_old_aggregates(rows, n, has_run_type);
	/* Rows with a failed run carry no time worth comparing. */
	size_t measured = 0, errors = 0;
	for (i = 0; !rc && i < n; i++) {
		size_t e = obl_json_get(&doc, rows[i].node, "error_occurred");
		if (e && doc.nodes[e].type == OBL_JSON_TRUE) {
			errors++;
			continue;
		}
		if (!rows[i].aggregate) {
			rc = read_row(&doc, &rows[i], b, err);
			measured++;
		}
	}
	if (!rc && measured == 0) { /* aggregates only: their means, one value each */
		for (i = 0; !rc && i < n; i++)
			if (rows[i].is_mean) {
				rc = read_row(&doc, &rows[i], b, err);
				measured++;
			}
		if (measured)
			obl_batch_warn(b, "%s: only aggregate rows (--benchmark_report_aggregates_only): "
					  "each benchmark's mean is stored as one value, so there is "
					  "nothing to test it with",
				       f->path);
	}
	if (!rc && errors)
		obl_batch_warn(b, "%s: %zu benchmark run%s reported an error and %s skipped", f->path,
			       errors, errors == 1 ? "" : "s", errors == 1 ? "was" : "were");
	if (!rc && measured == 0)
		rc = obl_json_error(&doc, list, err, "benchmarks", "no benchmark results");
	static const char *const tags[][2] = {
		{ "host_name", "host_name" },	    { "executable", "executable" },
		{ "date", "date" },		    { "num_cpus", "num_cpus" },
		{ "mhz_per_cpu", "mhz_per_cpu" },   { "library_build_type", "library_build_type" },
		{ "library_version", "library_version" },
	};
	size_t context = rc ? 0 : obl_json_get(&doc, 0, "context");
	if (context)
		rc = obl_json_tags(&doc, context, tags, sizeof tags / sizeof *tags, b);
	for (size_t r = 0; rows && r < n; r++)
		free(rows[r].name);
	free(rows);
	if (rc == OBL_ENOMEM && err->status == OBL_OK)
		obl_error_set(err, OBL_ENOMEM, f->path, 0, NULL, "out of memory");
	obl_json_free(&doc);
	return rc;
}

const struct obl_reader obl_reader_gbench = {
	"gbench",
	"Google Benchmark JSON (repetitions as trials, aggregates recomputed)",
	detect,
	read_gbench,
};
