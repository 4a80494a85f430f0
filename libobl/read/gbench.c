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
	static const struct {
		const char *name;
		double ns;
	} units[] = {
		{ "ns", 1 },
		{ "us", 1e3 },
		{ "ms", 1e6 },
		{ "s", 1e9 },
	};
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (!strcmp(unit, units[i].name))
			return units[i].ns;
	return NAN;
}

/* The members obl knows: they describe a row rather than measure it (every other number is
 * a user counter). The numbers of every row first. */
enum member {
	REAL_TIME,
	CPU_TIME,
	ITERATIONS,
	REPETITION_INDEX,
	REPETITIONS,
	THREADS,
	FAMILY_INDEX,
	PER_FAMILY_INSTANCE_INDEX,
	NAME,
	RUN_NAME,
	RUN_TYPE,
	TIME_UNIT,
	AGGREGATE_NAME,
	AGGREGATE_UNIT,
	LABEL,
	ERROR_OCCURRED,
	ERROR_MESSAGE,
	BIG_O,
	RMS,
	N_MEMBERS
};

#define K(s)                    \
	{                       \
		s, sizeof s - 1 \
	}
static const struct {
	const char *name;
	size_t len;
} members[N_MEMBERS] = {
	K("real_time"),
	K("cpu_time"),
	K("iterations"),
	K("repetition_index"),
	K("repetitions"),
	K("threads"),
	K("family_index"),
	K("per_family_instance_index"),
	K("name"),
	K("run_name"),
	K("run_type"),
	K("time_unit"),
	K("aggregate_name"),
	K("aggregate_unit"),
	K("label"),
	K("error_occurred"),
	K("error_message"),
	K("big_o"),
	K("rms"),
};
#undef K

/* Which known member key node `key` names; N_MEMBERS if none. */
static enum member member_of(const struct obl_json *doc, size_t key)
{
	const struct obl_json_node *n = &doc->nodes[key];
	const char *text = doc->text + obl_json_start(doc, key) + 1; /* no copy of the key */
	size_t len = obl_json_end(doc, key) - obl_json_start(doc, key) - 2;
	for (int m = 0; m < N_MEMBERS; m++)
		if (n->escaped ? obl_json_string_equals(doc, key, members[m].name)
			       : len == members[m].len && !memcmp(text, members[m].name, len))
			return (enum member)m;
	return N_MEMBERS;
}

struct row {
	size_t node;
	size_t time_unit, real_time, cpu_time, error_occurred; /* value nodes, 0 if absent */
	char *name;                                            /* run_name, else name (owned) */
	int has_run_type;
	int has_counters; /* a number that is no known member: a user counter */
	int aggregate;    /* an aggregate row (_mean, ...) */
	int is_mean;      /* the _mean aggregate */
};

/* Takes the members of row object r in one pass: a file of 20 000 rows looked each of its
 * fields up one at a time before. */
static int row_of(const struct obl_json *doc, size_t r, struct row *out, struct obl_error *err)
{
	size_t at[N_MEMBERS] = { 0 }; /* value node of each known member (the first if repeated) */
	int counters = 0;
	for (size_t v = obl_json_first(doc, r); v; v = obl_json_next_sibling(doc, r, v)) {
		enum member m = member_of(doc, obl_json_key_of(doc, v));
		if (m < N_MEMBERS && !at[m])
			at[m] = v;
		counters |= m == N_MEMBERS && doc->nodes[v].type == OBL_JSON_NUMBER;
	}
	*out = (struct row){ r, at[TIME_UNIT], at[REAL_TIME], at[CPU_TIME], at[ERROR_OCCURRED],
			     NULL, at[RUN_TYPE] != 0, counters, 0, 0 };
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	int present, rc = obl_json_value_text(doc, at[RUN_NAME], "run_name", &sb, &present, err);
	if (!rc && !present)
		rc = obl_json_value_text(doc, at[NAME], "name", &sb, &present, err);
	if (!rc && !present)
		rc = obl_json_error(doc, r, err, "name", "a benchmark without a name");
	if (!rc && !(out->name = strdup(sb.buf)))
		rc = OBL_ENOMEM;
	if (!rc) {
		rc = obl_json_value_text(doc, at[RUN_TYPE], "run_type", &sb, &present, err);
		out->aggregate = !rc && present && !strcmp(sb.buf, "aggregate");
	}
	if (!rc && out->aggregate) {
		rc = obl_json_value_text(doc, at[AGGREGATE_NAME], "aggregate_name", &sb, &present,
					 err);
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
		    struct obl_strbuf *sb, struct obl_error *err)
{
	size_t r = row->node;
	int present, rc = obl_json_value_text(doc, row->time_unit, "time_unit", sb, &present, err);
	double scale = present ? ns_per(sb->buf) : 1;
	if (!rc && isnan(scale))
		rc = obl_json_error(doc, row->time_unit, err, "time_unit",
				    "'%s': expected ns, us, ms or s", sb->buf);
	struct obl_trial_data *t = rc ? NULL : obl_batch_trial(b);
	if (!rc && (!t || obl_trial_set_scenario(t, "benchmark", row->name)))
		rc = OBL_ENOMEM;
	const struct {
		size_t node;
		const char *key, *metric;
	} times[] = { { row->real_time, "real_time", "real_time_ns" },
		      { row->cpu_time, "cpu_time", "cpu_time_ns" } };
	for (int k = 0; !rc && k < 2; k++) {
		double v;
		const char *key = times[k].key;
		size_t node = times[k].node;
		rc = obl_json_value_number(doc, node, key, &v, &present, err);
		if (!rc && present && (!isfinite(v) || v < 0))
			rc = obl_json_error(doc, node, err, key, "%g is negative or not a number", v);
		if (!rc && present)
			rc = add(t, times[k].metric, "ns", v * scale);
	}
	/* User counters: every other number. */
	for (size_t m = rc || !row->has_counters ? 0 : obl_json_first(doc, r); !rc && m;
	     m = obl_json_next_sibling(doc, r, m)) {
		double v;
		size_t k = obl_json_key_of(doc, m);
		if (doc->nodes[m].type != OBL_JSON_NUMBER || member_of(doc, k) < N_MEMBERS)
			continue;
		obl_strbuf_reset(sb);
		obl_json_string(doc, k, sb);
		if (obl_json_number(doc, m, &v) || !isfinite(v))
			rc = obl_json_error(doc, m, err, sb->buf, "not a finite number");
		else
			rc = add(t, sb->buf, strstr(sb->buf, "per_second") ? "/s" : "", v);
	}
	return rc;
}

static int read_gbench(const struct obl_json *doc, struct obl_batch *b, struct obl_error *err)
{
	int rc = OBL_OK;
	size_t list;
	rc = obl_json_root_array(doc, "benchmarks", "Google Benchmark's JSON", &list, err);
	size_t n = 0;
	for (size_t r = rc ? 0 : obl_json_first(doc, list); r; r = obl_json_next_sibling(doc, list, r))
		n++;
	struct row *rows = rc ? NULL : calloc(n ? n : 1, sizeof *rows);
	if (!rc && !rows)
		rc = OBL_ENOMEM;
	size_t i = 0;
	int has_run_type = 0;
	struct obl_strbuf sb;
	obl_strbuf_init(&sb);
	for (size_t r = rc ? 0 : obl_json_first(doc, list); !rc && r;
	     r = obl_json_next_sibling(doc, list, r), i++) {
		if (doc->nodes[r].type != OBL_JSON_OBJECT)
			rc = obl_json_error(doc, r, err, "benchmarks", "entry %zu: expected an object",
					    i);
		else
			rc = row_of(doc, r, &rows[i], err);
		has_run_type |= !rc && rows[i].has_run_type;
	}
	if (!rc)
		mark_old_aggregates(rows, n, has_run_type);
	/* Rows with a failed run carry no time worth comparing. */
	size_t measured = 0, errors = 0;
	for (i = 0; !rc && i < n; i++) {
		size_t e = rows[i].error_occurred;
		if (e && doc->nodes[e].type == OBL_JSON_TRUE) {
			errors++;
			continue;
		}
		if (!rows[i].aggregate) {
			rc = read_row(doc, &rows[i], b, &sb, err);
			measured++;
		}
	}
	if (!rc && measured == 0) { /* aggregates only: their means, one value each */
		for (i = 0; !rc && i < n; i++)
			if (rows[i].is_mean) {
				rc = read_row(doc, &rows[i], b, &sb, err);
				measured++;
			}
		if (measured)
			obl_batch_warn(b, "%s: only aggregate rows (--benchmark_report_aggregates_only): "
					  "each benchmark's mean is stored as one value, so there is "
					  "nothing to test it with",
				       doc->path);
	}
	if (!rc && errors)
		obl_batch_warn(b, "%s: %zu benchmark run%s reported an error and %s skipped", doc->path,
			       errors, errors == 1 ? "" : "s", errors == 1 ? "was" : "were");
	if (!rc && measured == 0)
		rc = obl_json_error(doc, list, err, "benchmarks", "no benchmark results");
	static const char *const tags[][2] = {
		{ "host_name", "host_name" },
		{ "executable", "executable" },
		{ "date", "date" },
		{ "num_cpus", "num_cpus" },
		{ "mhz_per_cpu", "mhz_per_cpu" },
		{ "library_build_type", "library_build_type" },
		{ "library_version", "library_version" },
	};
	size_t context = rc ? 0 : obl_json_get(doc, 0, "context");
	if (context)
		rc = obl_json_tags(doc, context, tags, sizeof tags / sizeof *tags, b);
	for (size_t r = 0; rows && r < n; r++)
		free(rows[r].name);
	free(rows);
	obl_strbuf_release(&sb);
	return rc;
}

const struct obl_reader obl_reader_gbench = {
	"gbench",
	"Google Benchmark JSON (repetitions as trials, aggregates recomputed)",
	detect,
	NULL,
	read_gbench,
};
