/*
 * obl-compare - did the candidate get better or worse than the baseline, by how much, and
 * how sure are we. Compares stored runs (databases) or two columns of plain numbers;
 * exit 1 on a regression, so that CI can gate on it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "by.h"
#include "dbcompare.h"
#include "files.h"
#include "ingest.h"
#include "options.h"
#include "read_plain.h"
#include "render.h"
#include "summarize.h"
#include "tool.h"

static const char *const formats[] = { "text", "json", "csv", "md", "junit", "github", NULL };
static const char *const corrections[] = { "none", "holm", "bh", "bonferroni", NULL };
static const char *const units[] = { "repetition", "request", NULL };
static const char *const families[] = { "all", "per-candidate", NULL };

struct settings {
	struct obl_compare_options co;
	struct obl_db_compare_options db;
	long column;
	const char *delimiters, *metric, *baseline, *stats, *gate, *by, *run;
	struct obl_string_list candidates, thresholds, scenario;
	int format, strict, unit, family;
	long skip_reps;
	int layout; /* 0 auto (narrow on a terminal), 1 --wide, 2 --narrow */
};

static void render(const struct settings *s, const struct obl_comparison *rows, size_t n,
		   const struct obl_warning *warnings, size_t n_warnings, struct obl_strbuf *out)
{
	const struct obl_render_options ro = {
		.color = s->format == OBL_FORMAT_TEXT && obl_tool_color(),
		.compare = &s->co,
		.warnings = warnings,
		.n_warnings = n_warnings,
		.family_per_candidate = s->db.family_per_candidate,
		/* the terminal layout where a person reads it (or asked for); all columns in a pipe */
		.narrow = s->layout == 2 || (s->layout == 0 && isatty(STDOUT_FILENO)),
	};
	switch (s->format) {
	case OBL_FORMAT_JSON: obl_render_compare_json(out, rows, n, &ro); break;
	case OBL_FORMAT_CSV: obl_render_compare_csv(out, rows, n, &ro); break;
	case OBL_FORMAT_MD: obl_render_compare_md(out, rows, n, &ro); break;
	case OBL_FORMAT_JUNIT: obl_render_compare_junit(out, rows, n, &ro); break;
	case OBL_FORMAT_GITHUB: obl_render_compare_github(out, rows, n, &ro); break;
	default: obl_render_compare_text(out, rows, n, &ro);
	}
}

static int compare_plain(const struct settings *s, const struct obl_string_list *files,
			 struct obl_strbuf *out, int *failed, struct obl_error *err)
{
	struct obl_values base = { 0 }, cand = { 0 };
	struct obl_comparison row;
	const struct obl_plain_options plain = { s->column, s->delimiters };
	int rc = OBL_OK;
	if (files->n != 2)
		rc = obl_error_set(err, OBL_EUSAGE, NULL, 0, NULL,
				   "expected two files, BASELINE and CANDIDATE (got %zu); see "
				   "obl-compare --help",
				   files->n);
	else if (s->scenario.n)
		rc = obl_error_set(err, OBL_EUSAGE, NULL, 0, "--scenario",
				   "applies to databases and result files, not plain numbers");
	else if (!strcmp(files->items[0], "-") && !strcmp(files->items[1], "-"))
		rc = obl_error_set(err, OBL_EUSAGE, NULL, 0, NULL,
				   "only one of the two inputs can be standard input");
	if (!rc && strcmp(files->items[0], "-"))
		obl_tool_warn_self("obl-compare", (const char *const *)files->items, NULL, 2);
	if (!rc)
		rc = obl_load_plain(files->items[0], &plain, &base, err);
	if (!rc)
		rc = obl_load_plain(files->items[1], &plain, &cand, err);
	/* Values in the order read that are serially dependent are not independent, whatever
	 * the test assumes (the warning below, as comparisons of databases give it). Measured
	 * first: the test then sorts the values where they are, without copies (two files of
	 * 10^7 values need their 160 MB and little more). */
	size_t n_read[2] = { base.n, cand.n };
	double autocorr[2] = { NAN, NAN };
	for (int k = 0; !rc && k < 2; k++) {
		const struct obl_values *v = k ? &cand : &base;
		autocorr[k] = v->n >= 10 ? stats_autocorr_lag1(v->v, v->n) : NAN;
	}
	if (!rc)
		rc = obl_compare_samples_consume(base.v, base.n, cand.v, cand.n, &s->co, &row, err);
	if (!rc)
		rc = obl_compare_finish(&row, 1, &s->co);
	if (!rc) {
		row.metric = s->metric;
		row.baseline_name = files->items[0];
		row.candidate_name = files->items[1];
		row.unit_of_analysis = OBL_UNIT_VALUES;
		int median = row.method == OBL_METHOD_MANN_WHITNEY ||
			     row.method == OBL_METHOD_MANN_WHITNEY_EXACT;
		row.stat_name = median ? "median" : "mean";
		row.stat = median ? obl_stat_median : obl_stat_mean;
		struct obl_warning warnings[2];
		size_t n_warnings = 0;
		for (int k = 0; k < 2; k++) {
			double ac = autocorr[k];
			if (!(ac > 0.2 && ac > 3 / sqrt((double)n_read[k])))
				continue;
			struct obl_warning *w = &warnings[n_warnings++];
			*w = (struct obl_warning){ "serial-dependence", files->items[k], NULL, 0, NULL };
			if (obl_warning_format(w,
					       "%s: the values in the order read have a lag-1 "
					       "autocorrelation of %.2f (%zu values); tested as "
					       "independent, the interval is too narrow",
					       files->items[k], ac, n_read[k]))
				n_warnings--; /* out of memory: the warning is lost, not the result */
		}
		render(s, &row, 1, warnings, n_warnings, out);
		for (size_t k = 0; k < n_warnings; k++)
			obl_warning_release(&warnings[k]);
		*failed = obl_gate_fails(&row, 1, s->strict);
	}
	obl_values_release(&base);
	obl_values_release(&cand);
	return rc;
}

static int compare_databases(const struct settings *s, const struct obl_string_list *files,
			     struct obl_strbuf *out, int *failed, struct obl_error *err)
{
	struct obl_db_sides sides;
	struct obl_db_comparison result = { 0 };
	int rc = obl_db_sides_open((const char *const *)files->items, files->n, s->baseline,
				   (const char *const *)s->candidates.items, s->candidates.n, &sides,
				   err);
	if (!rc) {
		const char *paths[OBL_MAX_SIDES], *labels[OBL_MAX_SIDES];
		for (size_t i = 0; i < sides.n; i++) {
			paths[i] = sides.sides[i].path;
			labels[i] = sides.sides[i].label;
		}
		obl_tool_warn_self("obl-compare", paths, labels, sides.n);
		rc = obl_db_compare(&sides.sides[0], &sides.sides[1], sides.n - 1, &s->db, &result,
				    err);
	}
	if (!rc) {
		render(s, result.rows, result.n, result.warnings, result.n_warnings, out);
		*failed = obl_gate_fails(result.rows, result.n, s->strict);
	}
	obl_db_comparison_free(&result);
	obl_db_sides_close(&sides);
	return rc;
}

/* --by KEY: one file or one run of a database, split along a scenario key into sides. */
static int compare_by(const struct settings *s, const struct obl_string_list *files,
		      struct obl_strbuf *out, int *failed, struct obl_error *err)
{
	struct obl_by by;
	struct obl_by_sides sides = { 0 };
	struct obl_db_comparison result = { 0 };
	struct obl_store *store = NULL;
	struct obl_group *g = NULL;
	size_t n = 0;
	const char *path = files->n ? files->items[0] : "";
	int rc = obl_by_parse(s->by, &by, err);
	if (rc)
		return rc;
	if (files->n != 1)
		rc = obl_error_set(err, OBL_EUSAGE, NULL, 0, "--by",
				   "compares groups inside one file or database: give one (got %zu)",
				   files->n);
	else if (s->baseline || s->candidates.n)
		rc = obl_error_set(err, OBL_EUSAGE, NULL, 0, "--by",
				   "the sides are the key's values: --baseline and --candidate do "
				   "not apply (name the values: --by KEY=BASE,CAND)");
	else if (obl_is_database(path)) {
		char **labels = NULL;
		size_t nl = 0;
		rc = obl_store_open(path, 0, &store, err);
		if (!rc && !s->run)
			rc = obl_store_runs(store, &labels, &nl, err);
		if (!rc && !s->run && nl != 1)
			rc = obl_error_set(err, OBL_EUSAGE, path, 0, NULL,
					   "holds %zu runs: name the one to split with --run", nl);
		const struct obl_store_filter f = { s->run ? s->run : nl ? labels[0]
									 : NULL,
						    NULL,
						    NULL, 0 };
		if (!rc)
			rc = obl_store_groups(store, &f, &g, &n, err);
		if (!rc && n == 0)
			rc = obl_error_set(err, OBL_EUSAGE, path, 0, f.run, "no such run (obl-runs "
									    "lists the runs)");
		obl_store_names_free(labels, nl);
	} else if (s->run) {
		rc = obl_error_set(err, OBL_EUSAGE, NULL, 0, "--run", "applies to a database");
	} else {
		rc = obl_file_groups(path, &g, &n, err);
	}
	if (!rc) {
		rc = obl_groups_by(g, n, &by, path, &sides, err);
		g = NULL;
		n = 0;
	}
	if (!rc) {
		const char *paths[OBL_MAX_SIDES];
		for (size_t i = 0; i < sides.n; i++)
			paths[i] = path;
		rc = obl_groups_compare(sides.side_groups, sides.n_side_groups,
					(const char *const *)sides.labels, paths, sides.n, &s->db,
					&result, err);
		/* the comparison took the groups over */
		memset(sides.side_groups, 0, sizeof sides.side_groups);
		memset(sides.n_side_groups, 0, sizeof sides.n_side_groups);
	}
	if (!rc) {
		render(s, result.rows, result.n, result.warnings, result.n_warnings, out);
		*failed = obl_gate_fails(result.rows, result.n, s->strict);
	}
	obl_db_comparison_free(&result);
	obl_by_sides_release(&sides);
	obl_groups_free(g, n);
	obl_store_close(store);
	obl_by_release(&by);
	return rc;
}

/* Two or more result files of a known format (Go benchmarks, Google Benchmark JSON, vLLM,
 * ...): read and compared in memory, as benchstat compares old.txt and new.txt. */
static int compare_files(const struct settings *s, const struct obl_string_list *files,
			 struct obl_strbuf *out, int *failed, struct obl_error *err)
{
	struct obl_db_comparison result = { 0 };
	obl_tool_warn_self("obl-compare", (const char *const *)files->items, NULL, files->n);
	int rc = s->candidates.n ? obl_error_set(err, OBL_EUSAGE, NULL, 0, "--candidate",
						 "needs --baseline and a single database")
				 : obl_files_compare((const char *const *)files->items, files->n,
						     &s->db, &result, err);
	if (!rc) {
		render(s, result.rows, result.n, result.warnings, result.n_warnings, out);
		*failed = obl_gate_fails(result.rows, result.n, s->strict);
	}
	obl_db_comparison_free(&result);
	return rc;
}

int main(int argc, char **argv)
{
	char *filter_text[32] = { 0 }; /* --scenario KEY=VALUE copies cut at '=' */
	obl_tool_init();
	obl_tool_hide_passwords(argc, argv);
	struct settings s = { 0 };
	s.co = obl_compare_defaults();
	s.column = 1;
	s.stats = "median";
	int method = OBL_METHOD_AUTO, direction = 0, correction = STATS_ADJUST_HOLM;
	long seed = -1;
	const struct obl_option options[] = {
		{ 'b', "baseline", "LABEL", "the baseline run (with one database)", OBL_OPT_STRING,
		  &s.baseline, NULL, 0 },
		{ 'c', "candidate", "LABEL", "a candidate run (with one database); repeatable",
		  OBL_OPT_LIST, &s.candidates, NULL, 0 },
		{ 0, "stat", "S[,S]", "statistics of request-level metrics: median (default), mean, "
				      "p90, p99, ...",
		  OBL_OPT_STRING, &s.stats, NULL, 0 },
		{ 0, "threshold", "[METRIC=]X", "practical threshold on the relative change "
						"(default 2%); repeatable",
		  OBL_OPT_LIST, &s.thresholds, NULL, 0 },
		{ 'g', "gate", "FILE", "per-metric thresholds, statistics and gating (obl-compare(1))",
		  OBL_OPT_STRING, &s.gate, NULL, 0 },
		{ 0, "unit", "U", "requests of fewer than 3 repetitions: repetition (default: never "
				  "conclusive) or request (tested as independent, with a warning)",
		  OBL_OPT_CHOICE, &s.unit, units, 0 },
		{ 0, "skip-reps", "N", "drop the first N repetitions of every scenario (warm-up)",
		  OBL_OPT_INT, &s.skip_reps, NULL, 0 },
		{ 0, "family", "F", "p-value family: all (every candidate's gating rows, the "
				    "default) or per-candidate",
		  OBL_OPT_CHOICE, &s.family, families, 0 },
		{ 0, "by", "KEY[=BASE,CAND]", "compare the values of a scenario key inside one file "
					      "or database (hyperfine commands, Go /impl=...)",
		  OBL_OPT_STRING, &s.by, NULL, 0 },
		{ 0, "ignore-key", "KEY", "match scenarios without KEY (two hyperfine exports of "
					  "differently named commands)",
		  OBL_OPT_STRING, &s.db.ignore_key, NULL, 0 },
		{ 'r', "run", "LABEL", "with --by: the run of the database to split", OBL_OPT_STRING,
		  &s.run, NULL, 0 },
		{ 0, "strict", NULL, "also fail (exit 1) on an inconclusive row", OBL_OPT_FLAG,
		  &s.strict, NULL, 0 },
		{ 0, "method", "NAME", "test to use (default auto: see obl-compare(1))",
		  OBL_OPT_CHOICE, &method, obl_method_names, 0 },
		{ 'a', "alpha", "A", "significance level (default 0.05)", OBL_OPT_DOUBLE, &s.co.alpha,
		  NULL, 0 },
		{ 0, "confidence", "P", "confidence level of intervals (default 0.95)", OBL_OPT_DOUBLE,
		  &s.co.confidence, NULL, 0 },
		{ 0, "correction", "NAME", "p-value adjustment across rows", OBL_OPT_CHOICE,
		  &correction, corrections, 0 },
		{ 0, "seed", "N", "bootstrap seed (default fixed: output is reproducible)",
		  OBL_OPT_INT, &seed, NULL, 0 },
		{ 0, "lower-is-better", NULL, "plain files: smaller is better (the default)",
		  OBL_OPT_FLAG, &direction, NULL, OBL_LOWER_IS_BETTER + 10 },
		{ 0, "higher-is-better", NULL, "plain files: larger is better (throughput)",
		  OBL_OPT_FLAG, &direction, NULL, OBL_HIGHER_IS_BETTER + 10 },
		{ 'C', "column", "N", "plain files: read column N (default 1)", OBL_OPT_INT, &s.column,
		  NULL, 0 },
		{ 'd', "delimiters", "CHARS", "plain files: field separators", OBL_OPT_STRING,
		  &s.delimiters, NULL, 0 },
		{ 'm', "metric", "NAME", "only this metric (plain files: the quantity's name)",
		  OBL_OPT_STRING, &s.metric, NULL, 0 },
		{ 's', "scenario", "KEY=VALUE", "only scenarios with this key and value; repeatable",
		  OBL_OPT_LIST, &s.scenario, NULL, 0 },
		{ 0, "wide", NULL, "text: every column, one line per row (the default in a pipe)",
		  OBL_OPT_FLAG, &s.layout, NULL, 1 },
		{ 0, "narrow", NULL, "text: the terminal layout, at most 100 columns (the default "
				     "on a terminal)",
		  OBL_OPT_FLAG, &s.layout, NULL, 2 },
		{ 0, "format", "FMT", "output format", OBL_OPT_CHOICE, &s.format, formats, 0 },
		{ 0, NULL, NULL, NULL, OBL_OPT_END, NULL, NULL, 0 },
	};
	const struct obl_command cmd = {
		"obl-compare",
		"[options] BASELINE.db CANDIDATE.db...\n"
		"       obl-compare [options] DB --baseline LABEL --candidate LABEL...\n"
		"       obl-compare [options] BASELINE.txt CANDIDATE.txt\n"
		"       obl-compare [options] OLD-RESULTS NEW-RESULTS...   (go test -bench, Google\n"
		"           Benchmark JSON, hyperfine, vLLM, ...: read directly, no database)",
		"Compare candidates with a baseline: per scenario and metric, the change with its\n"
		"confidence interval, an adjusted test and a verdict (better, worse, same,\n"
		"inconclusive, no-test). Exit status: 0 no regression, 1 regression, 2 usage\n"
		"error, 3 bad input.",
		options
	};
	struct obl_error err;
	obl_error_clear(&err);
	struct obl_string_list files = { 0 };
	struct obl_strbuf out;
	obl_strbuf_init(&out);
	int failed = 0;
	int rc = obl_parse_options(&cmd, argc, argv, &files, &err);
	if (rc == 1) {
		rc = OBL_OK;
		goto done;
	}
	if (rc)
		goto done;
	s.co.direction = direction >= 10 ? (enum obl_direction)(direction - 10) : OBL_LOWER_IS_BETTER;
	s.co.method = (enum obl_method)method;
	s.co.correction = (enum stats_adjust_method)correction;
	if (seed >= 0)
		s.co.seed = (uint64_t)seed;
	for (size_t i = 0; !rc && i < s.thresholds.n; i++)
		rc = obl_threshold_arg(s.thresholds.items[i], &s.co.threshold, &s.db.rules,
				       &s.db.n_rules, &err);
	s.db.unit_request = s.unit == 1;
	s.db.family_per_candidate = s.family == 1;
	if (!rc && s.skip_reps < 0)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--skip-reps", "must be 0 or more");
	s.db.skip_reps = s.skip_reps > 0 ? (size_t)s.skip_reps : 0;
	if (!rc && s.gate)
		rc = obl_gate_file_read(s.gate, &s.db, &err);
	if (!rc && !(s.co.confidence > 0 && s.co.confidence < 1))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--confidence",
				   "must lie between 0 and 1");
	if (!rc && !(s.co.alpha > 0 && s.co.alpha < 1))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--alpha", "must lie between 0 and 1");
	if (!rc && s.column < 1)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--column", "columns count from 1");
	if (!rc && files.n == 0)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, NULL,
				   "nothing to compare; see obl-compare --help");
	struct obl_kv filter[32];
	for (size_t i = 0; !rc && i < s.scenario.n; i++) {
		size_t key_len;
		const char *value;
		if (i >= 32)
			rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--scenario", "at most 32");
		else if (obl_split_assignment(s.scenario.items[i], &key_len, &value))
			rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, s.scenario.items[i],
					   "expected KEY=VALUE after --scenario");
		else if (!(filter_text[i] = strdup(s.scenario.items[i])))
			rc = obl_error_set(&err, OBL_ENOMEM, NULL, 0, NULL, "out of memory");
		else {
			filter_text[i][key_len] = 0;
			filter[i] = (struct obl_kv){ filter_text[i], filter_text[i] + key_len + 1 };
		}
	}
	if (rc)
		goto done;
	s.db.compare = s.co;
	s.db.metric = s.metric;
	s.db.scenario = filter;
	s.db.scenario_len = s.scenario.n;
	s.db.stats = s.stats;
	s.db.min_repetitions = 3;
	s.db.consume_values = 1; /* only rows are rendered */
	s.db.progress = obl_progress_start("obl-compare", NULL);
	if (s.by)
		rc = compare_by(&s, &files, &out, &failed, &err);
	else if (s.run)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--run",
				   "applies with --by (else name the runs with --baseline and "
				   "--candidate)");
	else if (obl_is_database(files.items[0]))
		rc = compare_databases(&s, &files, &out, &failed, &err);
	else if (!s.baseline && files.n >= 2 && obl_is_result_file(files.items[0]))
		rc = compare_files(&s, &files, &out, &failed, &err);
	else if (s.baseline || s.candidates.n)
		rc = obl_error_set(&err, OBL_EINPUT, files.items[0], 0, NULL,
				   "not an obl database, so --baseline/--candidate do not apply");
	else
		rc = compare_plain(&s, &files, &out, &failed, &err);
	obl_progress_stop(s.db.progress);
	if (!rc)
		rc = obl_tool_write(&out, &err);
done:
	if (rc)
		obl_error_print(&err, cmd.name, stderr);
	obl_strbuf_release(&out);
	obl_string_list_release(&files);
	obl_string_list_release(&s.candidates);
	obl_string_list_release(&s.thresholds);
	obl_string_list_release(&s.scenario);
	free(s.db.rules);
	for (size_t i = 0; i < 32; i++)
		free(filter_text[i]);
	return rc ? obl_exit_code(rc) : failed;
}
