/*
 * read_pytest_benchmark.c - pytest-benchmark's JSON (--benchmark-json, or a saved run under
 * .benchmarks/): {"machine_info", "commit_info", "benchmarks": [{"name", "fullname", "params",
 * "stats": {"data": [...], "mean", "median", ...}}], "version"}.
 *
 * Each benchmark is a scenario: benchmark=<fullname without its [parameters]> and one key per
 * parameter (params {"n": 1000} -> n=1000). stats.data, the time of each round divided by its
 * iterations (seconds), are the samples of sec_per_op, the metric Go's sec/op maps to. A file
 * saved without data carries only summaries: they are stored as aggregates (mean_sec_per_op,
 * median_sec_per_op, min_, max_, stddev_), with a warning that they cannot be tested.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reader.h"

static int detect(const struct obl_file *f)
{
	if (obl_first_char(f) == '{' && obl_contains(f, "\"benchmarks\"") &&
	    obl_contains(f, "\"machine_info\"") && obl_contains(f, "\"stats\""))
		return 90;
	return 0;
}

/* The scenario: fullname (else name) without "[...]", and the parameters. */
static int scenario(const struct obl_json *doc, size_t r, struct obl_trial_data *t,
		    struct obl_error *err)
{
	struct obl_strbuf sb, key;
	obl_strbuf_init(&sb);
	obl_strbuf_init(&key);
	int present, rc = obl_json_get_text(doc, r, "fullname", &sb, &present, err);
	if (!rc && !present)
		rc = obl_json_get_text(doc, r, "name", &sb, &present, err);
	if (!rc && !present)
		rc = obl_json_error(doc, r, err, "name", "a benchmark without a name");
	size_t params = rc ? 0 : obl_json_get(doc, r, "params");
	int has_params = params && doc->nodes[params].type == OBL_JSON_OBJECT &&
			 obl_json_first(doc, params);
	char *bracket = rc ? NULL : strchr(sb.buf, '[');
	if (bracket && has_params)
		*bracket = 0; /* the parameters become keys of their own */
	if (!rc && obl_trial_set_scenario(t, "benchmark", sb.buf))
		rc = OBL_ENOMEM;
	for (size_t p = has_params && !rc ? obl_json_first(doc, params) : 0; !rc && p;
	     p = obl_json_next_sibling(doc, params, p)) {
		obl_strbuf_reset(&key);
		obl_json_string(doc, obl_json_key_of(doc, p), &key);
		obl_strbuf_reset(&sb);
		int type = doc->nodes[p].type;
		if (type == OBL_JSON_STRING || type == OBL_JSON_NUMBER)
			rc = obl_json_get_text(doc, params, key.buf, &sb, &present, err);
		else if (type == OBL_JSON_TRUE || type == OBL_JSON_FALSE || type == OBL_JSON_NULL)
			obl_strbuf_addstr(&sb, type == OBL_JSON_TRUE    ? "true"
					       : type == OBL_JSON_FALSE ? "false"
									: "null");
		else
			obl_strbuf_addstr(&sb, "(structured)");
		if (!rc && obl_trial_set_scenario(t, key.buf, sb.buf))
			rc = OBL_ENOMEM;
	}
	obl_strbuf_release(&sb);
	obl_strbuf_release(&key);
	return rc;
}

static int read_benchmark(const struct obl_json *doc, size_t r, struct obl_batch *b,
			  int *summaries_only, struct obl_error *err)
{
	size_t stats = obl_json_get(doc, r, "stats");
	if (!stats || doc->nodes[stats].type != OBL_JSON_OBJECT)
		return obl_json_error(doc, r, err, "stats", "a benchmark without stats");
	struct obl_trial_data *t = obl_batch_trial(b);
	if (!t)
		return OBL_ENOMEM;
	int rc = scenario(doc, r, t, err);
	struct obl_values data = { 0 };
	int present;
	/* "data" that is not an array of numbers (a test fixture's "... omitted" placeholder, a
	 * hand-edited file): the stored statistics are used instead, and the user is told. */
	size_t dn = rc ? 0 : obl_json_get(doc, stats, "data");
	int bad_data = dn && doc->nodes[dn].type != OBL_JSON_NULL &&
		       !(doc->nodes[dn].type == OBL_JSON_ARRAY && doc->nodes[dn].packed) &&
		       !(doc->nodes[dn].type == OBL_JSON_ARRAY && doc->nodes[dn].count == 0);
	if (bad_data) {
		long line, column;
		obl_json_position(doc, obl_json_start(doc, dn), &line, &column);
		obl_batch_warn(b, "%s:%ld:%ld: 'data' is not an array of numbers: the stored "
				  "statistics (mean, median, min, max, stddev) are used instead of "
				  "the rounds",
			       doc->path, line, column);
		present = 0;
	} else if (!rc) {
		rc = obl_json_get_numbers(doc, stats, "data", &data, &present, err);
	}
	for (size_t i = 0; !rc && present && i < data.n; i++)
		if (!isfinite(data.v[i]) || data.v[i] < 0)
			rc = obl_json_error(doc, obl_json_get(doc, stats, "data"), err, "data",
					    "round %zu: %g is negative or not a number", i + 1,
					    data.v[i]);
	if (!rc && present && data.n) {
		struct obl_series *s = obl_trial_series(t, "sec_per_op", "s", OBL_KIND_SAMPLE);
		if (!s) {
			rc = OBL_ENOMEM;
		} else {
			obl_values_release(&s->values);
			s->values = data;
			data = (struct obl_values){ 0 };
		}
	} else if (!rc) {
		static const char *const keys[] = { "mean", "median", "min", "max", "stddev" };
		*summaries_only = 1;
		for (size_t k = 0; !rc && k < 5; k++) {
			double v;
			rc = obl_json_get_number(doc, stats, keys[k], &v, &present, err);
			if (rc || !present)
				continue;
			if (!isfinite(v) || v < 0) {
				rc = obl_json_error(doc, obl_json_get(doc, stats, keys[k]), err, keys[k],
						    "%g is negative or not a number", v);
				continue;
			}
			char metric[64];
			snprintf(metric, sizeof metric, "%s_sec_per_op", keys[k]);
			struct obl_series *s = obl_trial_series(t, metric, "s", OBL_KIND_AGGREGATE);
			if (!s || obl_values_push(&s->values, v))
				rc = OBL_ENOMEM;
		}
	}
	obl_values_release(&data);
	return rc;
}

static int read_pytest_benchmark(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	int rc = OBL_OK;
	size_t list;
	rc = obl_json_root_array(doc, "benchmarks", "pytest-benchmark's JSON", &list, err);
	int summaries_only = 0;
	size_t n = 0;
	for (size_t r = rc ? 0 : obl_json_first(doc, list); !rc && r;
	     r = obl_json_next_sibling(doc, list, r), n++)
		rc = doc->nodes[r].type == OBL_JSON_OBJECT
			     ? read_benchmark(doc, r, b, &summaries_only, err)
			     : obl_json_error(doc, r, err, "benchmarks",
					      "entry %zu: expected an object", n);
	if (!rc && n == 0)
		rc = obl_json_error(doc, list, err, "benchmarks", "no benchmarks");
	if (!rc && summaries_only)
		obl_batch_warn(b, "%s: no per-round data (stats.data) for some benchmarks: their "
				  "summaries are stored, which cannot be tested; pytest-benchmark "
				  "keeps the data with --benchmark-json",
			       doc->path);
	static const char *const machine[][2] = { { "node", "host" },
						  { "python_version", "python" },
						  { "python_implementation", "python_implementation" },
						  { "machine", "machine" } };
	static const char *const commit[][2] = { { "id", "commit" }, { "branch", "branch" } };
	static const char *const root[][2] = { { "datetime", "date" },
					       { "version", "pytest_benchmark" } };
	size_t m = rc ? 0 : obl_json_get(doc, 0, "machine_info");
	size_t c = rc ? 0 : obl_json_get(doc, 0, "commit_info");
	if (m)
		rc = obl_json_tags(doc, m, machine, 4, b);
	if (!rc && c)
		rc = obl_json_tags(doc, c, commit, 2, b);
	if (!rc)
		rc = obl_json_tags(doc, 0, root, 2, b);
	return rc;
}

const struct obl_reader obl_reader_pytest_benchmark = {
	"pytest-benchmark",
	"pytest-benchmark JSON (per-round data, else its summaries)",
	detect,
	NULL,
	read_pytest_benchmark,
};
