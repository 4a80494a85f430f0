/*
 * obl-history - the runs of one database as a history: per scenario and metric, where the
 * level shifted (change points with their size, interval and p-value), and with
 * --check-latest the gate of the newest run against the runs since the last change.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "dbcompare.h"
#include "history.h"
#include "input.h"
#include "options.h"
#include "render.h"
#include "summarize.h"
#include "tool.h"
#include "utf8.h"

#define UNSET LONG_MIN /* a count option not given (any value given is checked) */

/* A count option given below its least value is a usage error naming it. */
static int at_least(long value, long least, const char *option, struct obl_error *err)
{
	if (value == UNSET || value >= least)
		return OBL_OK;
	return obl_error_set(err, OBL_EUSAGE, NULL, 0, option, "must be %ld or more, got %ld",
			     least, value);
}

static const char *const formats[] = { "text", "json", "csv", "md", "github", "junit", NULL };

int main(int argc, char **argv)
{
	obl_tool_init();
	obl_tool_hide_passwords(argc, argv);
	struct obl_history_options ho = obl_history_defaults();
	struct obl_compare_options co = obl_compare_defaults();
	const char *order = NULL, *commits = NULL, *gate = NULL;
	long skip_reps = UNSET;
	long permutations = UNSET, min_runs = UNSET, seed = UNSET, window = UNSET, last = UNSET,
	     excursion = UNSET;
	int format = 0, check_latest = 0, strict = 0;
	struct obl_string_list thresholds = { 0 }, scenario = { 0 };
	struct obl_kv *filter = NULL;
	struct obl_db_compare_options db = { 0 };
	const struct obl_option options[] = {
		{ 0, "order-by", "KEY", "order of the runs: ingest (default), a tag such as date "
					"(dates in time order), or commit (with --commits)",
		  OBL_OPT_STRING, &order, NULL, 0 },
		{ 0, "commits", "FILE", "commit order, newest first (git rev-list HEAD > FILE, or - "
					"for stdin); the runs' commit tag is looked up in it",
		  OBL_OPT_STRING, &commits, NULL, 0 },
		{ 'm', "metric", "NAME", "only this metric", OBL_OPT_STRING, &ho.metric, NULL, 0 },
		{ 's', "scenario", "KEY=VALUE", "only scenarios with this key and value; repeatable",
		  OBL_OPT_LIST, &scenario, NULL, 0 },
		{ 0, "stat", "S", "statistic of a repetition of request-level metrics: median "
				  "(default), mean, p90, p99, ...",
		  OBL_OPT_STRING, &ho.stat, NULL, 0 },
		{ 0, "threshold", "[METRIC=]X", "smallest relative change that counts (default 2%); "
						"repeatable, per metric for --check-latest",
		  OBL_OPT_LIST, &thresholds, NULL, 0 },
		{ 'a', "alpha", "A", "significance level (default 0.05)", OBL_OPT_DOUBLE, &ho.alpha,
		  NULL, 0 },
		{ 0, "confidence", "P", "confidence level of intervals (default 0.95)", OBL_OPT_DOUBLE,
		  &ho.confidence, NULL, 0 },
		{ 0, "permutations", "N", "permutations per test (default 199)", OBL_OPT_INT,
		  &permutations, NULL, 0 },
		{ 0, "min-runs", "N", "runs a level needs, except the newest (default 2)", OBL_OPT_INT,
		  &min_runs, NULL, 0 },
		{ 0, "max-excursion", "N", "a departure of at most N runs that comes back to the level "
					   "before is an excursion, not two change points (default 3; 0: "
					   "off)",
		  OBL_OPT_INT, &excursion, NULL, 0 },
		{ 0, "window", "N", "runs either side a change point is tested on (default 100; 0: "
				    "all)",
		  OBL_OPT_INT, &window, NULL, 0 },
		{ 0, "last", "N", "only the newest N runs (default all; with --check-latest 4 "
				  "windows, 400)",
		  OBL_OPT_INT, &last, NULL, 0 },
		{ 0, "seed", "N", "permutation seed (default fixed: output is reproducible)",
		  OBL_OPT_INT, &seed, NULL, 0 },
		{ 0, "check-latest", NULL, "gate: the newest run's level against the runs since each "
					   "series' last change point (runs as the unit); exit 1 on a "
					   "regression or a series the newest run lost",
		  OBL_OPT_FLAG, &check_latest, NULL, 0 },
		{ 'g', "gate", "FILE", "--check-latest: per-metric thresholds, statistics and gating "
				       "(obl-compare(1))",
		  OBL_OPT_STRING, &gate, NULL, 0 },
		{ 0, "strict", NULL, "--check-latest: also fail on an inconclusive row", OBL_OPT_FLAG,
		  &strict, NULL, 0 },
		{ 0, "skip-reps", "N", "--check-latest: drop the first N repetitions of every run "
				       "(warm-up), as obl-compare --skip-reps",
		  OBL_OPT_INT, &skip_reps, NULL, 0 },
		{ 0, "format", "FMT", "output format", OBL_OPT_CHOICE, &format, formats, 0 },
		{ 0, NULL, NULL, NULL, OBL_OPT_END, NULL, NULL, 0 },
	};
	const struct obl_command cmd = {
		"obl-history",
		"[options] DB\n"
		"       obl-history --check-latest [options] DB",
		"The runs of a database as a history: per scenario and metric, the points where the\n"
		"level shifted (E-divisive means with a permutation test), with the levels before\n"
		"and after, the relative change and its interval. --check-latest gates the newest\n"
		"run against the runs since the last change. Exit status: 0 no regression, 1\n"
		"regression or a lost series (--check-latest), 2 usage error, 3 bad input.",
		options
	};
	struct obl_error err;
	obl_error_clear(&err);
	struct obl_string_list files = { 0 };
	struct obl_strbuf out;
	obl_strbuf_init(&out);
	struct obl_store *store = NULL;
	struct obl_history h = { 0 };
	struct obl_db_comparison result = { 0 };
	int failed = 0;
	int rc = obl_parse_options(&cmd, argc, argv, &files, &err);
	if (rc == 1) {
		rc = OBL_OK;
		goto done;
	}
	if (rc)
		goto done;
	if (!rc)
		rc = at_least(min_runs, 1, "--min-runs", &err);
	if (!rc)
		rc = at_least(seed, 0, "--seed", &err);
	if (!rc)
		rc = at_least(window, 0, "--window", &err);
	if (!rc)
		rc = at_least(last, 0, "--last", &err);
	if (!rc)
		rc = at_least(excursion, 0, "--max-excursion", &err);
	if (!rc)
		rc = at_least(skip_reps, 0, "--skip-reps", &err);
	if (skip_reps != UNSET)
		db.skip_reps = (size_t)skip_reps;
	if (!rc && permutations != UNSET && (permutations < 1 || permutations > 100000))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--permutations",
				   "must lie between 1 and 100000, got %ld", permutations);
	if (permutations != UNSET)
		ho.permutations = (size_t)permutations;
	if (min_runs != UNSET)
		ho.min_runs = (size_t)min_runs;
	if (seed != UNSET)
		ho.seed = (uint64_t)seed;
	if (window != UNSET)
		ho.window = (size_t)window;
	if (excursion != UNSET)
		ho.max_excursion = (size_t)excursion;
	/* the gate needs the level since the last change: the newest four windows of runs hold
	 * it unless the level has held longer, and then 400 runs of it are baseline enough */
	if (last != UNSET)
		ho.last = (size_t)last;
	else if (check_latest)
		ho.last = ho.window ? 4 * ho.window : 0;
	if (!rc)
		rc = obl_tool_scenario_filter(&scenario, &filter, &err);
	ho.scenario = filter;
	ho.scenario_len = scenario.n;
	co.threshold = ho.threshold;
	for (size_t i = 0; !rc && i < thresholds.n; i++)
		rc = obl_threshold_arg(thresholds.items[i], &co.threshold, &db.rules, &db.n_rules,
				       &err);
	ho.threshold = co.threshold;
	/* a per-metric threshold is the gate's; the change points take one threshold, which
	 * the output states, so it may be the metric's only when --metric picks that one */
	for (size_t i = 0; !rc && i < db.n_rules; i++) {
		const struct obl_metric_rule *r = &db.rules[i];
		if (ho.metric && !strcmp(r->metric, ho.metric))
			ho.threshold = r->threshold;
		else if (!check_latest)
			rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--threshold",
					   "%s=%g%%: a metric's own threshold is for --check-latest; "
					   "the change points take one: --threshold %g%%, or --metric "
					   "%s with it",
					   r->metric, 100 * r->threshold, 100 * r->threshold, r->metric);
	}
	if (!rc && !check_latest && (strict || gate || skip_reps != UNSET))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0,
				   strict ? "--strict" : gate ? "--gate"
							      : "--skip-reps",
				   "is for --check-latest (the gate); the change points take "
				   "none of --strict, --gate and --skip-reps");
	if (!rc && gate)
		rc = obl_gate_file_read(gate, &db, &err);
	if (!rc && !(ho.alpha > 0 && ho.alpha < 1))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--alpha", "must lie between 0 and 1");
	if (!rc && !(ho.confidence > 0 && ho.confidence < 1))
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--confidence",
				   "must lie between 0 and 1");
	if (!rc && !check_latest && format == 5)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, "--format",
				   "junit is for --check-latest");
	if (!rc)
		rc = obl_history_set_order(&ho, order, commits, &err);
	if (!rc && files.n != 1)
		rc = obl_error_set(&err, OBL_EUSAGE, NULL, 0, NULL,
				   "expected one database (got %zu); see obl-history --help", files.n);
	if (!rc && !obl_is_database(files.items[0]))
		rc = obl_error_set(&err, OBL_EINPUT, files.items[0], 0, NULL,
				   "not an obl database (make one with obl-ingest)");
	if (!rc)
		rc = obl_store_open(files.items[0], OBL_STORE_READ, &store, &err);
	if (!rc)
		rc = obl_history_analyse(store, files.items[0], &ho, &h, &err);
	if (!rc && !check_latest)
		obl_history_render(&out, &h, (enum obl_history_format)format);
	if (!rc && check_latest) {
		co.alpha = ho.alpha;
		co.confidence = ho.confidence;
		db.compare = co;
		db.stats = ho.stat;
		db.min_repetitions = 3;
		rc = obl_history_check_latest(store, files.items[0], &h, &db, &result, &err);
		if (!rc) {
			const struct obl_render_options ro = {
				.color = format == 0 && obl_tool_color(),
				.compare = &co,
				.warnings = result.warnings,
				.n_warnings = result.n_warnings,
				.family_per_candidate = db.family_per_candidate,
				.tool = "obl-history",
				.missing_fails = 1,
			};
			switch (format) {
			case 1: obl_render_compare_json(&out, result.rows, result.n, &ro); break;
			case 2: obl_render_compare_csv(&out, result.rows, result.n, &ro); break;
			case 3: obl_render_compare_md(&out, result.rows, result.n, &ro); break;
			case 4: obl_render_compare_github(&out, result.rows, result.n, &ro); break;
			case 5: obl_render_compare_junit(&out, result.rows, result.n, &ro); break;
			default: obl_render_compare_text(&out, result.rows, result.n, &ro);
			}
			failed = obl_history_gate_fails(&result, strict);
			/* CSV and JUnit have no place for notes: they go to stderr (a first night,
			 * a series the newest run lacks) */
			for (size_t k = 0; (format == 2 || format == 5) && k < result.n_warnings; k++) {
				struct obl_strbuf sb;
				obl_strbuf_init(&sb);
				obl_strbuf_addf(&sb, "obl-history: warning (%s): ", result.warnings[k].kind);
				obl_utf8_add_terminal(&sb, result.warnings[k].message);
				obl_strbuf_addch(&sb, '\n');
				fwrite(sb.buf, 1, sb.len, stderr);
				obl_strbuf_release(&sb);
			}
		}
	}
	if (!rc)
		rc = obl_tool_write(&out, &err);
done:
	if (rc)
		obl_error_print(&err, cmd.name, stderr);
	obl_db_comparison_free(&result);
	obl_history_free(&h);
	obl_store_close(store);
	obl_strbuf_release(&out);
	obl_string_list_release(&files);
	obl_string_list_release(&thresholds);
	obl_kv_free(filter, filter ? scenario.n : 0);
	obl_string_list_release(&scenario);
	free(db.rules);
	return rc ? obl_exit_code(rc) : failed;
}
